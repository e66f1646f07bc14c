import GatewayProvision

/// One problem with a run's options, as the API shows it: the library's code, message and hint,
/// and the request member concerned (the library's option name).
struct ActionProblemResource: Encodable, Sendable, Equatable {
    let code: String
    let member: String
    let message: String
    let hint: String

    init(_ problem: ActionProblem) {
        code = problem.code.rawValue
        member = problem.option.rawValue
        message = problem.message
        hint = problem.hint
    }

    static var schema: JSONTree {
        OpenAPISchemas.object(
            [
                (
                    "code",
                    ["type": "string", "enum": .array(ActionProblem.Code.allCases.map { .string($0.rawValue) }), "description": "Stable; the command line reports the same code for the same input."]
                ),
                ("member", ["type": "string", "enum": .array(ActionOption.allCases.map { .string($0.rawValue) }), "description": "The request member concerned."]),
                ("message", OpenAPISchemas.string),
                ("hint", OpenAPISchemas.string),
            ],
            required: ["code", "member", "message", "hint"],
            description: "One problem with a run's options.")
    }
}

extension APIProblem {
    /// The problem for a run request the library refused: 422 when the confirmation does not name
    /// the deployment, else 400, with every problem listed.
    init(actions error: ActionProblems) {
        let kind: Kind = error.problems.contains { $0.code == .confirmationMismatch } ? .confirmationMismatch : .malformedRequest
        let detail = error.problems.map { "\($0.option.rawValue): \($0.message) (\($0.hint))" }.joined(separator: "; ")
        self.init(kind, detail)
        actionProblems = error.problems.map(ActionProblemResource.init)
    }
}
