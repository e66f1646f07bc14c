/// A position in a config file, 1-based.
public struct SourcePosition: Sendable, Equatable, Hashable, Codable {
    /// Line number, from 1.
    public var line: Int
    /// Column number, from 1.
    public var column: Int

    /// Creates a position.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// A parsed config document: a small JSON-like tree whose nodes remember where they were in the file.
///
/// Both YAML and JSON files load into this tree, so the rest of the loader (defaults, unknown keys, types,
/// positions in error messages) is one code path.
struct ConfigNode: Sendable, Equatable {
    indirect enum Value: Sendable, Equatable {
        case object([(key: String, node: ConfigNode, keyPosition: SourcePosition?)])
        case array([ConfigNode])
        case string(String)
        case integer(Int)
        case double(Double)
        case bool(Bool)
        case null

        static func == (lhs: Value, rhs: Value) -> Bool {
            switch (lhs, rhs) {
            case (.object(let a), .object(let b)):
                a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.node == $1.node }
            case (.array(let a), .array(let b)): a == b
            case (.string(let a), .string(let b)): a == b
            case (.integer(let a), .integer(let b)): a == b
            case (.double(let a), .double(let b)): a == b
            case (.bool(let a), .bool(let b)): a == b
            case (.null, .null): true
            default: false
            }
        }
    }

    var value: Value
    var position: SourcePosition?
    /// For string nodes produced from enums: the values the field accepts.
    var allowedValues: [String]?
    /// For maps with free-form keys (tags, environment): any key is accepted.
    var isOpenKeyed: Bool = false

    init(_ value: Value, position: SourcePosition? = nil) {
        self.value = value
        self.position = position
    }

    static func == (lhs: ConfigNode, rhs: ConfigNode) -> Bool { lhs.value == rhs.value }

    /// A short name of the node's kind for error messages.
    var kindDescription: String {
        switch value {
        case .object: "a mapping"
        case .array: "a list"
        case .string: "a string"
        case .integer: "an integer"
        case .double: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    subscript(key: String) -> ConfigNode? {
        guard case .object(let entries) = value else { return nil }
        return entries.first { $0.key == key }?.node
    }
}

/// Builds key paths such as `filespaces[1].clientVersion`.
enum ConfigPath {
    static func appending(_ key: String, to path: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    static func appending(index: Int, to path: String) -> String {
        "\(path)[\(index)]"
    }

    static func from(codingPath: [any CodingKey]) -> String {
        var path = ""
        for key in codingPath {
            if let index = key.intValue, key.stringValue.hasPrefix("Index") || key.stringValue == "\(index)" {
                path = appending(index: index, to: path)
            } else {
                path = appending(key.stringValue, to: path)
            }
        }
        return path
    }
}
