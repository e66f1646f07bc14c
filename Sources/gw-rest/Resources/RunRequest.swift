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

    /// Decodes strictly: unknown members are refused, so a typo is not silently ignored.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = container.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(forKey: unknown, in: container, debugDescription: "unknown member")
        }
        let keyed = try decoder.container(keyedBy: CodingKeys.self)
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

    /// Why the options do not fit the action, or `nil`.
    func problem(deployment name: String) -> String? {
        switch action {
        case .plan, .amiBuild:
            if planRun != nil || autoApprove != nil || confirm != nil {
                return "\(action.rawValue) takes no planRun, autoApprove or confirm"
            }
            if action == .amiBuild, amiId != nil { return "ami-build takes no amiId" }
        case .apply:
            if confirm != nil { return "apply takes no confirm" }
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
            if confirm != name { return "destroying deployment \(name) needs \"confirm\": \"\(name)\"" }
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
        return s.object(
            [
                ("action", s.enumeration(Action.allCases.map(\.rawValue))),
                ("planRun", ["type": "string", "description": "apply: the reviewed plan run to apply."]),
                ("autoApprove", ["type": "boolean", "description": "apply: plan and apply at once, without review."]),
                ("confirm", ["type": "string", "description": "destroy: the deployment's name, as confirmation."]),
                ("amiId", ["type": "string", "pattern": "^ami-([0-9a-f]{8}|[0-9a-f]{17})$", "description": "plan, apply with autoApprove: the AMI to deploy."]),
            ],
            required: ["action"],
            description: "A typed action on a deployment. apply needs exactly one of planRun and autoApprove: true; destroy needs confirm equal to the deployment's name."
        )
    }
}
