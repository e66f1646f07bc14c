import Foundation
import GatewayCore

/// The component schemas of the OpenAPI document: one per body the API sends or accepts.
enum OpenAPISchemas {
    /// `{"$ref": "#/components/schemas/NAME"}`.
    static func reference(_ name: String) -> JSONValue {
        ["$ref": .string("#/components/schemas/\(name)")]
    }

    static let string: JSONValue = ["type": "string"]
    static let integer: JSONValue = ["type": "integer"]
    static let boolean: JSONValue = ["type": "boolean"]
    static let nullableInteger: JSONValue = ["type": ["integer", "null"]]
    static let dateTime: JSONValue = ["type": "string", "format": "date-time"]

    static func array(of items: JSONValue) -> JSONValue {
        ["type": "array", "items": items]
    }

    /// A closed object: every listed property, `required` ones always present, nothing else.
    static func object(_ properties: [(String, JSONValue)], required: [String], description: String? = nil) -> JSONValue {
        var entries: [(String, JSONValue)] = [
            ("type", "object"),
            ("properties", .object(properties)),
            ("required", .array(required.map(JSONValue.string))),
            ("additionalProperties", false),
        ]
        if let description { entries.append(("description", .string(description))) }
        return .object(entries)
    }

    static func enumeration(_ values: [String]) -> JSONValue {
        ["type": "string", "enum": .array(values.map(JSONValue.string))]
    }

    /// Every component schema, by name.
    static func all() -> [(String, JSONValue)] {
        [
            ("Problem", problem),
            ("ConfigProblem", configProblem),
            ("ValidationResult", validationResult),
            ("Health", health),
            ("GatewayConfig", gatewayConfig()),
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

    /// The config file's JSON Schema (the one `gw-cli schema` prints), as a component.
    static func gatewayConfig() -> JSONValue {
        let text = ConfigJSONSchema.document()
        guard let schema = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else {
            return ["type": "object"]
        }
        return schema.removing(["$schema", "$id"])
    }
}
