import Foundation

/// A JSON Schema (draft 2020-12) of the config file format, derived from the model's defaults, so that
/// editors can complete and check config files. Every object is closed (`additionalProperties: false`)
/// except the free-form maps (tags, gateway environment).
public enum ConfigJSONSchema {
    /// The schema as pretty-printed JSON text.
    public static func document() -> String {
        var root: [String: Any] = schema(for: ConfigSchema.shared.defaults, path: "")
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        root["$id"] = "https://gateway.local/schemas/gateway-config.json"
        root["title"] = "gateway deployment config"
        root["description"] = "One S3 gateway deployment for LucidLink filespaces on AWS (gw-cli). Unset keys take their defaults."
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func schema(for node: ConfigNode, path: String) -> [String: Any] {
        let pattern = ConfigSchema.pattern(of: path)
        if ConfigSchema.openMaps.contains(pattern) {
            return ["type": "object", "additionalProperties": ["type": "string"], "default": [String: String]()]
        }
        switch node.value {
        case .object(let entries):
            var properties: [String: Any] = [:]
            for entry in entries {
                properties[entry.key] = schema(for: entry.node, path: ConfigPath.appending(entry.key, to: path))
            }
            return ["type": "object", "properties": properties, "additionalProperties": false]
        case .array(let items):
            let template = items.first ?? ConfigNode(.string(""))
            var result: [String: Any] = ["type": "array", "items": schema(for: template, path: ConfigPath.appending(index: 0, to: path))]
            if items.allSatisfy(\.isScalar) { result["default"] = items.map(jsonValue) }
            return result
        case .string(let text):
            var result: [String: Any] = ["type": "string", "default": text]
            if let allowed = ConfigSchema.enumerations[pattern] { result["enum"] = allowed }
            if ConfigSchema.secretFields.contains(pattern) {
                result["description"] = "A secret: env:NAME, file:PATH, ssm:/PATH, or a literal value (discouraged)."
            }
            return result
        case .integer(let number):
            return ["type": "number", "default": number]
        case .double(let number):
            return ["type": "number", "default": number]
        case .bool(let flag):
            return ["type": "boolean", "default": flag]
        case .null:
            return [:]
        }
    }

    private static func jsonValue(_ node: ConfigNode) -> Any {
        switch node.value {
        case .string(let text): text
        case .integer(let number): number
        case .double(let number): number
        case .bool(let flag): flag
        default: NSNull()
        }
    }
}
