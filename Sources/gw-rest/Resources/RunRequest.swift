import GatewayProvision

/// The body of `POST /v1/deployments/{name}/runs`: one typed action and its options. Nothing else
/// can be run.
struct RunRequest: Decodable, Sendable {
    /// The typed actions.
    enum Action: String, Decodable, Sendable, CaseIterable {
        case plan
        case apply
        case destroy
        case amiBuild = "ami-build"
    }

    let action: Action
    /// For `apply`: the reviewed plan run to apply.
    let planRun: String?
    /// For `apply`: plan and apply at once, without review.
    let autoApprove: Bool?
    /// For `destroy`: the deployment's name, as confirmation.
    let confirm: String?
    /// For `plan` and auto-approved `apply`: the AMI to deploy (otherwise the last AMI build, then
    /// the config's `compute.amiId`).
    let amiId: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case action, planRun, autoApprove, confirm, amiId
    }

    /// Decodes strictly: unknown members and `null` values are refused, so a typo or a stray `null`
    /// is not silently ignored.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = container.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(forKey: unknown, in: container, debugDescription: "unknown member")
        }
        let keyed = try decoder.container(keyedBy: CodingKeys.self)
        for key in keyed.allKeys where try keyed.decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(String.self, .init(codingPath: [key], debugDescription: "null"))
        }
        action = try keyed.decode(Action.self, forKey: .action)
        planRun = try keyed.decodeIfPresent(String.self, forKey: .planRun)
        autoApprove = try keyed.decodeIfPresent(Bool.self, forKey: .autoApprove)
        confirm = try keyed.decodeIfPresent(String.self, forKey: .confirm)
        amiId = try keyed.decodeIfPresent(String.self, forKey: .amiId)
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Why the request cannot be run on deployment `name`, or `nil`: options that do not fit the
    /// action (400) or a destroy confirmation naming another deployment (422).
    func problem(deployment name: String) -> APIProblem? {
        if let shape = shapeProblem() { return APIProblem(.malformedRequest, shape) }
        if action == .destroy, confirm != name {
            return APIProblem(.confirmationMismatch, "destroying deployment \(name) needs \"confirm\": \"\(name)\"")
        }
        return nil
    }

    /// Why the options do not fit the action, or `nil`.
    private func shapeProblem() -> String? {
        switch action {
        case .plan, .amiBuild:
            if planRun != nil || autoApprove != nil || confirm != nil {
                return "\(action.rawValue) takes no planRun, autoApprove or confirm"
            }
            if action == .amiBuild, amiId != nil { return "ami-build takes no amiId" }
        case .apply:
            if confirm != nil { return "apply takes no confirm" }
            if autoApprove == false { return "autoApprove is given as true or not at all" }
            switch (planRun, autoApprove ?? false) {
            case (nil, false): return "apply needs planRun (a reviewed plan) or autoApprove: true"
            case (.some, true): return "give either planRun or autoApprove: true, not both"
            case (.some(let id), false):
                if !RunID.isValid(id) { return "planRun is not a run id (they look like 20261127T095018Z-3fa2c1)" }
                if amiId != nil { return "amiId cannot change a saved plan; make a new plan with it" }
            case (nil, true): break
            }
        case .destroy:
            if planRun != nil || autoApprove != nil || amiId != nil { return "destroy takes only confirm" }
            if confirm == nil { return "destroy needs \"confirm\" with the deployment's name" }
        }
        if let amiId, !Self.isAMIID(amiId) { return "amiId must look like ami-0123456789abcdef0" }
        return nil
    }

    static func isAMIID(_ text: String) -> Bool {
        guard text.hasPrefix("ami-") else { return false }
        let hex = text.dropFirst(4)
        return (hex.count == 8 || hex.count == 17) && hex.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    static var schema: JSONTree {
        let s = OpenAPISchemas.self
        let ami: JSONTree = ["type": "string", "pattern": "^ami-([0-9a-f]{8}|[0-9a-f]{17})$", "description": "The AMI to deploy (default: the last AMI build, then the config's compute.amiId)."]
        let runID: JSONTree = ["type": "string", "pattern": "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$", "description": "The reviewed plan run to apply."]
        func variant(_ action: String, _ properties: [(String, JSONTree)], required: [String], _ description: String) -> JSONTree {
            s.object([("action", ["const": .string(action)])] + properties, required: ["action"] + required, description: description)
        }
        return [
            "description": "A typed action on a deployment: nothing else can be run.",
            "oneOf": [
                variant("plan", [("amiId", ami)], required: [], "Render and make a saved plan for review."),
                variant("apply", [("planRun", runID)], required: ["planRun"], "Apply a reviewed plan."),
                variant("apply", [("autoApprove", ["const": true]), ("amiId", ami)], required: ["autoApprove"], "Plan and apply at once, without review."),
                variant("destroy", [("confirm", ["type": "string", "description": "The deployment's name, as confirmation."])], required: ["confirm"], "Destroy every resource of the deployment."),
                variant("ami-build", [], required: [], "Build the node image with packer."),
            ],
        ]
    }
}
