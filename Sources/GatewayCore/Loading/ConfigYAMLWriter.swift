import Foundation

/// Writes a ``GatewayConfig`` as block-style YAML, listing only the settings that differ from the
/// defaults (plus the identity keys), in the model's key order.
public enum ConfigYAMLWriter {
    /// The YAML text.
    /// - Parameters:
    ///   - config: The config.
    ///   - revealingSecretLiterals: Write literal secrets as their values (for the user's own file only);
    ///     otherwise they are written as `<redacted>`.
    public static func yaml(for config: GatewayConfig, revealingSecretLiterals: Bool = false) throws -> String {
        let tree = try ConfigNode(encoding: config, revealingSecretLiterals: revealingSecretLiterals)
        let defaults = ConfigSchema.shared.defaults
        var out = ""
        write(difference(tree, defaults, path: "") ?? ConfigNode(.object([])), indent: 0, to: &out)
        return out
    }

    /// Keeps the entries that differ from the defaults; lists are kept whole when they differ.
    private static func difference(_ node: ConfigNode, _ defaults: ConfigNode?, path: String) -> ConfigNode? {
        // The identity keys, and the settings whose default the loader derives from the rest of the
        // file (so that reading the text back gives the same config).
        let alwaysKept: Set<String> = ["project.name", "project.environment", "project.region", "gateway.buckets", "loadBalancer.deletionProtection"]
        guard case .object(let entries) = node.value, let defaults, case .object = defaults.value, !ConfigSchema.openMaps.contains(ConfigSchema.pattern(of: path)) else {
            if let defaults, node == defaults, !alwaysKept.contains(path) { return nil }
            return node
        }
        var kept: [(key: String, node: ConfigNode, keyPosition: SourcePosition?)] = []
        for entry in entries {
            let childPath = ConfigPath.appending(entry.key, to: path)
            if let child = difference(entry.node, defaults[entry.key], path: childPath) {
                kept.append((entry.key, child, nil))
            }
        }
        return kept.isEmpty && !path.isEmpty ? nil : ConfigNode(.object(kept))
    }

    private static func write(_ node: ConfigNode, indent: Int, to out: inout String) {
        let pad = String(repeating: " ", count: indent)
        switch node.value {
        case .object(let entries):
            for entry in entries {
                out += pad + key(entry.key) + ":"
                writeChild(entry.node, indent: indent, to: &out)
            }
        case .array(let items):
            for item in items {
                out += pad + "-"
                if case .object(let entries) = item.value, !entries.isEmpty {
                    var nested = ""
                    write(item, indent: indent + 2, to: &nested)
                    out += " " + nested.dropFirst(indent + 2)
                } else {
                    writeChild(item, indent: indent, to: &out)
                }
            }
        default:
            out += pad + scalar(node) + "\n"
        }
    }

    private static func writeChild(_ node: ConfigNode, indent: Int, to out: inout String) {
        switch node.value {
        case .object(let entries) where entries.isEmpty: out += " {}\n"
        case .array(let items) where items.isEmpty: out += " []\n"
        case .object:
            out += "\n"
            write(node, indent: indent + 2, to: &out)
        case .array(let items) where items.allSatisfy(\.isScalar): out += " [" + items.map(scalar).joined(separator: ", ") + "]\n"
        case .array:
            out += "\n"
            write(node, indent: indent + 2, to: &out)
        default: out += " " + scalar(node) + "\n"
        }
    }

    private static func key(_ text: String) -> String {
        isPlain(text) ? text : quoted(text)
    }

    static func scalar(_ node: ConfigNode) -> String {
        switch node.value {
        case .string(let text): isPlain(text) ? text : quoted(text)
        case .integer(let number): String(number)
        case .double(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        case .object, .array: ""
        }
    }

    /// Whether a string can be written unquoted and reads back as the same string.
    private static func isPlain(_ text: String) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter || first.isNumber || first == "/" || first == "_" else { return false }
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._/-@".contains($0)) }) else { return false }
        let lowered = text.lowercased()
        if ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"].contains(lowered) { return false }
        if Double(text) != nil || Int(text) != nil { return false }
        if text.first!.isNumber, text.contains(where: { $0 == "." || $0 == "_" }), text.allSatisfy({ $0.isNumber || $0 == "." || $0 == "_" }) { return false }
        return true
    }

    private static func quoted(_ text: String) -> String {
        let json = ConfigNode(.string(text)).jsonData()
        return String(decoding: json, as: UTF8.self)
    }
}

extension ConfigNode {
    var isScalar: Bool {
        switch value {
        case .object, .array: false
        default: true
        }
    }
}
