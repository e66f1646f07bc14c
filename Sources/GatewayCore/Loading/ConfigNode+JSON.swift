import Foundation

extension ConfigNode {
    /// Encodes a value into a tree (through JSON, which YAML reads), e.g. the default config.
    init(encoding value: some Encodable, revealingSecretLiterals: Bool = false) throws {
        let encoder = JSONEncoder()
        if revealingSecretLiterals { encoder.userInfo[Secret.revealLiteralsKey] = true }
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let data = try encoder.encode(value)
        var reader = YAMLDocumentReader(budget: .max)
        self = try reader.read(String(decoding: data, as: UTF8.self))
    }

    /// The tree as JSON text, for decoding with `JSONDecoder`.
    func jsonData() -> Data {
        var out = ""
        appendJSON(to: &out)
        return Data(out.utf8)
    }

    private func appendJSON(to out: inout String) {
        switch value {
        case .object(let entries):
            out += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { out += "," }
                Self.appendJSONString(entry.key, to: &out)
                out += ":"
                entry.node.appendJSON(to: &out)
            }
            out += "}"
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.appendJSON(to: &out)
            }
            out += "]"
        case .string(let text): Self.appendJSONString(text, to: &out)
        case .integer(let number): out += String(number)
        case .double(let number): out += number.isFinite ? "\(number)" : "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .null: out += "null"
        }
    }

    private static func appendJSONString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
