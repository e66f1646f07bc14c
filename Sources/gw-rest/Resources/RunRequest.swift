import GatewayCore
import GatewayProvision

/// The body of `POST /v1/deployments/{name}/runs`: one typed action and its options, decoded into
/// the library's ``DeploymentActionRequest`` and validated by it (the rules the command line
/// applies too). Nothing else can be run.
struct RunRequest: Decodable, Sendable {
    /// The request as the library takes it.
    let request: DeploymentActionRequest

    /// The members: `action` and the library's option names.
    static let members = Set(ActionOption.allCases.map(\.rawValue))

    /// Decodes strictly: unknown members and `null` values are refused, so a typo or a stray `null`
    /// is not silently ignored.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let unknown = container.allKeys.first(where: { !Self.members.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(forKey: unknown, in: container, debugDescription: "unknown member")
        }
        for key in container.allKeys where try container.decodeNil(forKey: key) {
            throw DecodingError.valueNotFound(String.self, .init(codingPath: [key], debugDescription: "null"))
        }
        func value<T: Decodable>(_ option: ActionOption, _ type: T.Type) throws -> T? {
            try container.decodeIfPresent(type, forKey: Key(option))
        }
        var request = DeploymentActionRequest(try container.decode(RunAction.self, forKey: Key(.action)))
        request.amiId = try value(.amiId, String.self)
        request.planRun = try value(.planRun, String.self)
        request.autoApprove = try value(.autoApprove, Bool.self)
        request.confirm = try value(.confirm, String.self)
        request.destroy = try value(.destroy, Bool.self)
        request.minHealthy = try value(.minHealthy, Int.self)
        request.checkpoints = try value(.checkpoints, [Int].self)
        request.pollSeconds = try value(.pollSeconds, Double.self)
        request.timeoutMinutes = try value(.timeoutMinutes, Int.self)
        request.nodeBinary = try value(.nodeBinary, String.self)
        self.request = request
    }

    /// The action, or the problem that answers the request: 422 when the confirmation does not name
    /// the deployment, else 400; every problem is listed with its code and member.
    func validated(deployment name: String) throws(APIProblem) -> DeploymentAction {
        switch request.validated(deployment: name) {
        case .success(let action):
            return action
        case .failure(let error):
            throw APIProblem(actions: error)
        }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init(_ option: ActionOption) { stringValue = option.rawValue }
        init?(intValue: Int) { nil }
    }

    static var schema: JSONTree {
        let s = OpenAPISchemas.self
        let ami: JSONTree = [
            "type": "string", "pattern": .string(AMIID.pattern),
            "description": "The AMI to deploy (default: the later of the last AMI build and the AMI the fleet was last rolled out to, then the config's compute.amiId).",
        ]
        let runID: JSONTree = ["type": "string", "pattern": "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$", "description": "The reviewed plan run to apply."]
        let destroyRunID: JSONTree = ["type": "string", "pattern": "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$", "description": "The reviewed destroy plan run to apply (a plan run made with destroy: true)."]
        let rolloutAMI: JSONTree = ["type": "string", "pattern": .string(AMIID.pattern), "description": "The AMI to roll out."]
        let minHealthy: JSONTree = [
            "type": "integer", "minimum": 0, "maximum": 100, "description": "Share of the group that must stay healthy, in percent (default: the config's rollout.minHealthyPercentage).",
        ]
        let checkpoints: JSONTree = [
            "type": "array", "items": ["type": "integer", "minimum": 1, "maximum": 100], "minItems": 1, "uniqueItems": true,
            "description": "Checkpoint percentages (default: the config's rollout.checkpoints): distinct, taken in ascending order; 100 is added when missing.",
        ]
        let nodeBinary: JSONTree = [
            "type": "string", "pattern": "^/",
            "description":
                "Absolute path, on the server, of the self-contained gw-cli to install in the image (built by scripts/build-node-binary.sh; default: the gw-cli installed beside gw-rest). A gw-cli that needs the Swift toolchain's libraries, or of another architecture than the image's, is refused with 422 (node-binary-refused).",
        ]
        let poll: JSONTree = ["type": "number", "minimum": .number(0.01), "maximum": 3600, "description": "Seconds between two looks at the refresh and the target health (default 15)."]
        let timeout: JSONTree = ["type": "integer", "minimum": 1, "maximum": 10080, "description": "Minutes to watch the refresh before giving up (default 360); the refresh goes on in AWS."]
        let confirm: JSONTree = ["type": "string", "description": "The deployment's name, as confirmation."]
        func variant(_ action: String, _ properties: [(String, JSONTree)], required: [String], _ description: String) -> JSONTree {
            s.object([("action", ["const": .string(action)])] + properties, required: ["action"] + required, description: description)
        }
        return [
            "description":
                "A typed action on a deployment: nothing else can be run. Problems with the options answer 400 (422 for a confirmation that does not name the deployment), listing each as actionProblems[] with a stable code and the member concerned.",
            "oneOf": [
                variant("plan", [("amiId", ami)], required: [], "Render and make a saved plan for review."),
                variant("plan", [("destroy", ["const": true])], required: ["destroy"], "Make a saved destroy plan for review: what goes away, by resource type."),
                variant("apply", [("planRun", runID)], required: ["planRun"], "Apply a reviewed plan."),
                variant("apply", [("autoApprove", ["const": true]), ("amiId", ami)], required: ["autoApprove"], "Plan and apply at once, without review."),
                variant("destroy", [("planRun", destroyRunID), ("confirm", confirm)], required: ["planRun"], "Apply a reviewed destroy plan."),
                variant("destroy", [("autoApprove", ["const": true]), ("confirm", confirm)], required: ["autoApprove", "confirm"], "Destroy every resource at once, without review."),
                variant("ami-build", [("nodeBinary", nodeBinary)], required: [], "Build the node image with packer."),
                variant(
                    "rollout", [("amiId", rolloutAMI), ("minHealthy", minHealthy), ("checkpoints", checkpoints), ("pollSeconds", poll), ("timeoutMinutes", timeout)],
                    required: ["amiId"],
                    "Roll an AMI out to the running fleet by instance refresh; rolls back when the refresh fails or health stays below the bar. Cancelling the run cancels the refresh."),
                variant(
                    "rollback", [("minHealthy", minHealthy), ("pollSeconds", poll), ("timeoutMinutes", timeout)], required: [],
                    "Roll the fleet back: the refresh in progress, else to the AMI it ran before the last rollout."),
            ],
        ]
    }
}
