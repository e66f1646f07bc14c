import GatewayCore
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
        case rollout
        case rollback
    }

    let action: Action
    /// For `apply`: the reviewed plan run to apply.
    let planRun: String?
    /// For `apply`: plan and apply at once, without review.
    let autoApprove: Bool?
    /// For `destroy`: the deployment's name, as confirmation.
    let confirm: String?
    /// For `plan` and auto-approved `apply`: the AMI to deploy (otherwise the AMI the fleet was
    /// last rolled out to or the last AMI build, then the config's `compute.amiId`). For `rollout`:
    /// the AMI to roll out (required).
    let amiId: String?
    /// For `rollout` and `rollback`: the share of the group that must stay healthy (0-100; default
    /// the config's `rollout.minHealthyPercentage`).
    let minHealthy: Int?
    /// For `rollout`: checkpoint percentages, distinct, 1-100 (default the config's); see
    /// ``rolloutOptions(config:)``.
    let checkpoints: [Int]?
    /// For `rollout` and `rollback`: seconds between two looks at the refresh and the target health
    /// (1-3600, default 15).
    let pollSeconds: Int?
    /// For `ami-build`: the absolute path, on the server, of the self-contained `gw-cli` to install
    /// in the image (default: the `gw-cli` installed beside `gw-rest`); checked by the library.
    let nodeBinary: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case action, planRun, autoApprove, confirm, amiId, minHealthy, checkpoints, pollSeconds, nodeBinary
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
        minHealthy = try keyed.decodeIfPresent(Int.self, forKey: .minHealthy)
        checkpoints = try keyed.decodeIfPresent([Int].self, forKey: .checkpoints)
        pollSeconds = try keyed.decodeIfPresent(Int.self, forKey: .pollSeconds)
        nodeBinary = try keyed.decodeIfPresent(String.self, forKey: .nodeBinary)
    }

    /// The rollout options of a `rollout` or `rollback` request on `config`.
    ///
    /// Checkpoints are taken as a set: sorted, and 100 added when missing (Auto Scaling's last
    /// checkpoint is always 100%).
    func rolloutOptions(config: GatewayConfig) -> RolloutOptions {
        let normalized = checkpoints.map { given in
            let sorted = Array(Set(given)).sorted()
            return sorted.last == 100 ? sorted : sorted + [100]
        }
        return RolloutOptions(
            config: config, imageID: amiId ?? "", minHealthyPercentage: minHealthy, checkpoints: normalized,
            pollInterval: .seconds(pollSeconds ?? 15))
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
        let rolloutOptionsGiven = minHealthy != nil || checkpoints != nil || pollSeconds != nil
        if let nodeBinary {
            if action != .amiBuild { return "only ami-build takes nodeBinary" }
            if !nodeBinary.hasPrefix("/") { return "nodeBinary must be an absolute path on the server, e.g. /usr/local/lib/gateway/gw-cli" }
        }
        switch action {
        case .plan, .apply, .destroy, .amiBuild:
            if rolloutOptionsGiven { return "\(action.rawValue) takes no minHealthy, checkpoints or pollSeconds" }
        case .rollout, .rollback:
            if planRun != nil || autoApprove != nil || confirm != nil {
                return "\(action.rawValue) takes no planRun, autoApprove or confirm"
            }
            if action == .rollout, amiId == nil { return "rollout needs amiId: the AMI to roll out" }
            if action == .rollback, amiId != nil || checkpoints != nil {
                return "rollback takes no amiId or checkpoints: it restores what the fleet ran before"
            }
            if let minHealthy, !(0...100).contains(minHealthy) { return "minHealthy must be 0 to 100 (percent of the group)" }
            if let pollSeconds, !(1...3600).contains(pollSeconds) { return "pollSeconds must be 1 to 3600" }
            if let checkpoints, checkpoints.isEmpty || checkpoints.contains(where: { !(1...100).contains($0) })
                || Set(checkpoints).count != checkpoints.count
            {
                return "checkpoints must be distinct percentages from 1 to 100, e.g. [33, 66, 100]"
            }
        }
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
        case .rollout, .rollback:
            break
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
        let ami: JSONTree = ["type": "string", "pattern": "^ami-([0-9a-f]{8}|[0-9a-f]{17})$", "description": "The AMI to deploy (default: the later of the last AMI build and the AMI the fleet was last rolled out to, then the config's compute.amiId)."]
        let runID: JSONTree = ["type": "string", "pattern": "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$", "description": "The reviewed plan run to apply."]
        let rolloutAMI: JSONTree = ["type": "string", "pattern": "^ami-([0-9a-f]{8}|[0-9a-f]{17})$", "description": "The AMI to roll out."]
        let minHealthy: JSONTree = ["type": "integer", "minimum": 0, "maximum": 100, "description": "Share of the group that must stay healthy, in percent (default: the config's rollout.minHealthyPercentage)."]
        let checkpoints: JSONTree = ["type": "array", "items": ["type": "integer", "minimum": 1, "maximum": 100], "minItems": 1, "uniqueItems": true,
            "description": "Checkpoint percentages (default: the config's rollout.checkpoints), taken in ascending order; 100 is added when missing."]
        let nodeBinary: JSONTree = ["type": "string", "pattern": "^/", "description": "Absolute path, on the server, of the self-contained gw-cli to install in the image (built by scripts/build-node-binary.sh; default: the gw-cli installed beside gw-rest). A gw-cli that needs the Swift toolchain's libraries, or of another architecture than the image's, is refused with 422 (node-binary-refused)."]
        let poll: JSONTree = ["type": "integer", "minimum": 1, "maximum": 3600, "description": "Seconds between two looks at the refresh and the target health (default 15)."]
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
                variant("ami-build", [("nodeBinary", nodeBinary)], required: [], "Build the node image with packer."),
                variant("rollout", [("amiId", rolloutAMI), ("minHealthy", minHealthy), ("checkpoints", checkpoints), ("pollSeconds", poll)],
                    required: ["amiId"], "Roll an AMI out to the running fleet by instance refresh; rolls back when the refresh fails or health stays below the bar. Cancelling the run cancels the refresh."),
                variant("rollback", [("minHealthy", minHealthy), ("pollSeconds", poll)], required: [],
                    "Roll the fleet back: the refresh in progress, else to the AMI it ran before the last rollout."),
            ],
        ]
    }
}
