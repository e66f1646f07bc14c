import Foundation
import GatewayCore
import GatewayProvision

/// The component schemas of the OpenAPI document: one per body the API sends or accepts.
enum OpenAPISchemas {
    /// `{"$ref": "#/components/schemas/NAME"}`.
    static func reference(_ name: String) -> JSONTree {
        ["$ref": .string("#/components/schemas/\(name)")]
    }

    static let string: JSONTree = ["type": "string"]
    static let integer: JSONTree = ["type": "integer"]
    static let boolean: JSONTree = ["type": "boolean"]
    static let nullableInteger: JSONTree = ["type": ["integer", "null"]]
    static let dateTime: JSONTree = ["type": "string", "format": "date-time"]

    static func array(of items: JSONTree) -> JSONTree {
        ["type": "array", "items": items]
    }

    /// A closed object: every listed property, `required` ones always present, nothing else.
    static func object(_ properties: [(String, JSONTree)], required: [String], description: String? = nil) -> JSONTree {
        var entries: [(String, JSONTree)] = [
            ("type", "object"),
            ("properties", .object(properties)),
            ("required", .array(required.map(JSONTree.string))),
            ("additionalProperties", false),
        ]
        if let description { entries.append(("description", .string(description))) }
        return .object(entries)
    }

    static func enumeration(_ values: [String]) -> JSONTree {
        ["type": "string", "enum": .array(values.map(JSONTree.string))]
    }

    /// Every component schema, by name.
    static func all() -> [(String, JSONTree)] {
        [
            ("Problem", problem),
            ("ConfigProblem", configProblem),
            ("ValidationResult", validationResult),
            ("Health", health),
            ("GatewayConfig", gatewayConfig()),
            ("Deployment", DeploymentResource.schema),
            ("DeploymentList", DeploymentList.schema),
            ("RenderSummary", RenderSummaryResource.schema),
            ("Outputs", OutputsResource.schema),
            ("RunRequest", RunRequest.schema),
            ("ActionProblem", ActionProblemResource.schema),
            ("Run", RunResource.schema),
            ("RunList", RunList.schema),
            ("RunEvent", runEvent),
            ("RunEventMessage", runEventMessage),
            ("FleetStatus", FleetStatusResource.schema),
            ("InstanceRefresh", InstanceRefreshResource.schema),
            ("RolloutStatus", RolloutStatusResource.schema),
            ("PreflightReport", PreflightReportResource.schema),
        ]
    }

    static let problem = object(
        [
            ("type", ["type": "string", "enum": .array(APIProblem.Kind.allCases.map { .string($0.typeURI) })]),
            ("title", string),
            ("status", ["type": "integer", "minimum": 400, "maximum": 599]),
            ("detail", string),
            ("instance", string),
            ("problems", array(of: reference("ConfigProblem"))),
            ("actionProblems", array(of: reference("ActionProblem"))),
            ("runningRun", string),
            ("allowedMethods", array(of: string)),
        ],
        required: ["type", "title", "status", "detail"],
        description: "An RFC 9457 problem. `type` is stable per kind of problem."
    )

    static let configProblem = object(
        [
            ("path", ["type": "string", "description": "Key path such as `filespaces[1].clientVersion`; empty for the whole config."]),
            ("line", nullableInteger),
            ("column", nullableInteger),
            ("severity", enumeration(["error", "warning"])),
            ("message", string),
            ("hint", string),
        ],
        required: ["path", "line", "column", "severity", "message", "hint"],
        description: "One problem in a config, as printed by `gw-cli validate --json`."
    )

    static let validationResult = object(
        [
            ("valid", ["type": "boolean", "description": "No problem of severity `error`."]),
            ("errors", ["type": "integer", "minimum": 0]),
            ("warnings", ["type": "integer", "minimum": 0]),
            ("problems", array(of: reference("ConfigProblem"))),
        ],
        required: ["valid", "errors", "warnings", "problems"]
    )

    static let health = object(
        [("status", enumeration(["ok"])), ("version", string)],
        required: ["status", "version"]
    )

    /// One event of a run, as sent in the `data` of each Server-Sent Event.
    static let runEvent: JSONTree = [
        "type": "object",
        "description":
            "A run event as logged in the run's events.jsonl. Which members are present depends on `type` (run_started, notice, step_started, process_started, output, terraform, progress, signal_sent, step_finished, plan_summary, image_built, rollout, run_finished). Rollout events carry `rollout`: what a rollout or rollback did or saw.",
        "properties": [
            "time": dateTime,
            "run": string,
            "type": string,
            "step": string,
            "command": string,
            "stream": string,
            "text": string,
            "status": string,
            "message": string,
            "exitCode": integer,
            "rollout": rolloutProgress,
        ],
        "required": ["time", "run", "type"],
    ]

    /// The `rollout` member of a rollout run's events.
    static let rolloutProgress: JSONTree = object(
        [
            ("kind", enumeration(RolloutProgress.Kind.allCases.map(\.rawValue))),
            ("launchTemplateVersion", string),
            ("sourceVersion", string),
            ("imageID", string),
            ("refreshID", string),
            ("status", string),
            ("percentComplete", integer),
            ("healthyTargets", integer),
            ("desiredCapacity", integer),
            ("healthyPercent", integer),
            ("minimumHealthyPercent", integer),
            ("consecutiveChecks", integer),
            ("reason", string),
            ("message", string),
        ],
        required: ["kind", "message"],
        description: "A step of a rollout or rollback: a launch template version created, a refresh started, a look at its progress and the target health, health below the bar, or rolling back."
    )

    /// One Server-Sent Event of a run's stream (OpenAPI 3.1: the schema of each event).
    static let runEventMessage: JSONTree = [
        "type": "object",
        "description": "One event of the stream: `id` is its position in the run's log (from 1), `event` its type, `data` the RunEvent as JSON.",
        "properties": [
            "id": ["type": "string", "pattern": "^[1-9][0-9]*$"],
            "event": string,
            "data": ["type": "string", "contentMediaType": "application/json", "contentSchema": reference("RunEvent")],
            "retry": integer,
        ],
        "required": ["id", "event", "data"],
    ]

    /// The config file's JSON Schema (the one `gw-cli schema` prints), as a component. The loader
    /// takes `null` for any key or list item as "the default", so every member and item also admits
    /// `null` here.
    static func gatewayConfig() -> JSONTree {
        let text = ConfigJSONSchema.document()
        guard let schema = try? JSONDecoder().decode(JSONTree.self, from: Data(text.utf8)) else {
            return ["type": "object"]
        }
        return nullableMembers(schema.removing(["$schema", "$id"]))
    }

    /// Makes every property and item schema below `schema` also accept `null`.
    private static func nullableMembers(_ schema: JSONTree) -> JSONTree {
        var result = schema
        if case .object(let properties)? = schema["properties"] {
            result = result.setting("properties", to: .object(properties.map { ($0.0, nullable(nullableMembers($0.1))) }))
        }
        if let items = schema["items"] {
            result = result.setting("items", to: nullable(nullableMembers(items)))
        }
        if let additional = schema["additionalProperties"], case .object = additional {
            result = result.setting("additionalProperties", to: nullable(nullableMembers(additional)))
        }
        return result
    }

    private static func nullable(_ schema: JSONTree) -> JSONTree {
        var result = schema
        switch schema["type"] {
        case .string(let type)?:
            result = result.setting("type", to: [.string(type), "null"])
        case .array(let types)? where !types.contains("null"):
            result = result.setting("type", to: .array(types + ["null"]))
        default:
            break
        }
        if case .array(let values)? = schema["enum"], !values.contains(.null) {
            result = result.setting("enum", to: .array(values + [.null]))
        }
        return result
    }
}
