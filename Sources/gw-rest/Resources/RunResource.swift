import Foundation
import GatewayProvision

/// A run as the API shows it: the run record without process internals (host, process ids), plus
/// links to its events and cancel action.
struct RunResource: Encodable, Sendable {
    struct PlanChange: Encodable, Sendable {
        let address: String
        let action: String
        let reason: String?
    }

    struct TypeCount: Encodable, Sendable {
        let type: String
        let count: Int
    }

    struct PlanSummary: Encodable, Sendable {
        let headline: String
        let changes: [PlanChange]
        /// What goes away, by resource type.
        let destroysByType: [TypeCount]
        let outputChanges: [String]
        let errored: Bool
    }

    /// How a rollout or rollback ended.
    struct RolloutOutcome: Encodable, Sendable {
        let outcome: String
        let refreshId: String?
        let imageId: String?
        let launchTemplateVersion: String?
        let reason: String?
    }

    struct Links: Encodable, Sendable {
        let `self`: String
        let events: String
        let cancel: String
    }

    let id: String
    let deployment: String
    let action: String
    let status: String
    let startTime: Date
    let endTime: Date?
    let durationSeconds: Double
    let exitCode: Int32?
    let configHash: String
    let toolVersions: [String: String]
    let planSummary: PlanSummary?
    let planMode: String?
    let planHasChanges: Bool?
    let planRun: String?
    let amiId: String?
    let amiSource: String?
    let amiRegion: String?
    let refreshId: String?
    let rollout: RolloutOutcome?
    let message: String?
    let links: Links

    init(_ record: RunRecord) {
        id = record.id
        deployment = record.deployment
        action = record.action.rawValue
        status = record.status.rawValue
        startTime = record.startTime
        endTime = record.endTime
        durationSeconds = (record.duration * 1000).rounded() / 1000
        exitCode = record.exitCode
        configHash = record.configHash
        toolVersions = record.toolVersions
        planSummary = record.planSummary.map { summary in
            PlanSummary(
                headline: summary.headline,
                changes: summary.changes.map { PlanChange(address: $0.address, action: $0.action.rawValue, reason: $0.reason) },
                destroysByType: summary.countsByType(.delete).map { TypeCount(type: $0.type, count: $0.count) },
                outputChanges: summary.outputChanges,
                errored: summary.errored
            )
        }
        planMode = record.action == .plan ? (record.planMode ?? .apply).rawValue : nil
        planHasChanges = record.planHasChanges
        planRun = record.planRunID
        amiId = record.amiID
        amiSource = record.amiSource
        amiRegion = record.amiRegion
        refreshId = record.refreshID
        rollout = record.rollout.map {
            RolloutOutcome(
                outcome: $0.outcome.rawValue, refreshId: $0.refreshID, imageId: $0.imageID,
                launchTemplateVersion: $0.launchTemplateVersion, reason: $0.reason)
        }
        message = record.message
        links = Links(self: "/v1/runs/\(record.id)", events: "/v1/runs/\(record.id)/events", cancel: "/v1/runs/\(record.id)/cancel")
    }

    /// The schema of this resource for the OpenAPI document.
    static var schema: JSONTree {
        let s = OpenAPISchemas.self
        return s.object(
            [
                ("id", ["type": "string", "pattern": "^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$"]),
                ("deployment", s.string),
                ("action", s.enumeration(RunAction.allCases.map(\.rawValue))),
                ("status", s.enumeration(RunStatus.allCases.map(\.rawValue))),
                ("startTime", s.dateTime),
                ("endTime", s.dateTime),
                ("durationSeconds", ["type": "number", "minimum": 0]),
                ("exitCode", s.integer),
                ("configHash", ["type": "string", "description": "SHA-256 of the config the run used (secrets as references)."]),
                ("toolVersions", ["type": "object", "additionalProperties": s.string]),
                (
                    "planSummary",
                    s.object(
                        [
                            ("headline", s.string),
                            (
                                "changes",
                                s.array(
                                    of: s.object(
                                        [("address", s.string), ("action", s.enumeration(TerraformAction.allCases.map(\.rawValue))), ("reason", s.string)],
                                        required: ["address", "action"]))
                            ),
                            (
                                "destroysByType",
                                s.array(
                                    of: s.object(
                                        [("type", ["type": "string", "description": "A resource type, e.g. aws_subnet."]), ("count", ["type": "integer", "minimum": 1])],
                                        required: ["type", "count"]))
                            ),
                            ("outputChanges", s.array(of: s.string)),
                            ("errored", s.boolean),
                        ],
                        required: ["headline", "changes", "destroysByType", "outputChanges", "errored"])
                ),
                ("planMode", ["type": "string", "enum": .array(PlanMode.allCases.map { .string($0.rawValue) }), "description": "For plans: a plan of changes (apply) or a destroy plan (destroy)."]),
                ("planHasChanges", s.boolean),
                ("planRun", ["type": "string", "description": "For applies and destroys of a saved plan: the plan run."]),
                ("amiId", s.string),
                ("amiSource", s.string),
                ("amiRegion", s.string),
                ("refreshId", ["type": "string", "description": "For rollouts and rollbacks: the instance refresh."]),
                (
                    "rollout",
                    s.object(
                        [
                            ("outcome", s.enumeration(RolloutResult.Outcome.allCases.map(\.rawValue))),
                            ("refreshId", s.string), ("imageId", s.string), ("launchTemplateVersion", s.string), ("reason", s.string),
                        ],
                        required: ["outcome"],
                        description: "For rollouts and rollbacks: how the rollout ended; imageId and launchTemplateVersion are what the group runs afterwards.")
                ),
                ("message", ["type": "string", "description": "How the run ended (the error for failed runs)."]),
                ("links", s.object([("self", s.string), ("events", s.string), ("cancel", s.string)], required: ["self", "events", "cancel"])),
            ],
            required: ["id", "deployment", "action", "status", "startTime", "durationSeconds", "configHash", "toolVersions", "links"],
            description: "One plan, apply, destroy, AMI build, rollout or rollback of a deployment."
        )
    }
}

/// A list of runs.
struct RunList: Encodable, Sendable {
    let runs: [RunResource]

    static var schema: JSONTree {
        OpenAPISchemas.object([("runs", OpenAPISchemas.array(of: OpenAPISchemas.reference("Run")))], required: ["runs"])
    }
}
