import GatewayCore
import Hummingbird

/// `POST /v1/validate`: checks a config and lists every problem, as `gw-cli validate --json` does.
struct ValidationController: Sendable {
    /// The answer: whether the config is usable, and its problems.
    struct ValidationResult: Encodable, Sendable {
        let valid: Bool
        let errors: Int
        let warnings: Int
        let problems: [ConfigProblem]
    }

    let bodies: RequestBodyReader
    let intake: ConfigIntake

    var operations: [APIOperation] {
        [
            APIOperation(
                method: .post, path: "/v1/validate", id: "validateConfig",
                summary: "Check a config and list every problem",
                description:
                    "The body is a config as JSON or YAML (by Content-Type). The answer is 200 whether or not the config is valid; `valid` tells, and `problems` lists each problem with its key path (and line and column for YAML), as `gw-cli validate --json` prints them. Nothing is stored.",
                tag: "configs",
                requestBody: APIRequestBody(
                    description: "A config file's content.",
                    content: [
                        (JSONBody.mediaType, ["description": "Any JSON value; a config is an object (see GatewayConfig)."]),
                        ("application/yaml", ["description": "Any YAML document; a config is a mapping (see GatewayConfig)."]),
                    ]),
                responses: [
                    .json(200, "The problems found (none when the config is clean).", schema: "ValidationResult"),
                    .problem(413, "The body is larger than the limit."),
                    .problem(415, "The Content-Type is neither JSON nor YAML."),
                ],
                handler: validate
            )
        ]
    }

    @Sendable func validate(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let format = try bodies.configFormat(of: request)
        let data = try await bodies.data(of: request)
        let result = intake.read(data, format: format)
        let errors = result.problems.filter { $0.severity == .error }.count
        return try JSONBody.response(ValidationResult(valid: errors == 0, errors: errors, warnings: result.problems.count - errors, problems: result.problems))
    }
}
