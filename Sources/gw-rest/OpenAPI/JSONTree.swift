/// A JSON value, for documents built in code (the OpenAPI description).
indirect enum JSONTree: Sendable, Equatable, Codable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case array([JSONTree])
    /// Keys keep their order for readability; the encoder sorts them anyway.
    case object([(String, JSONTree)])
    case null

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
    init(arrayLiteral elements: JSONTree...) { self = .array(elements) }
    init(dictionaryLiteral elements: (String, JSONTree)...) { self = .object(elements) }

    /// The value under a key of an object, or `nil`.
    subscript(key: String) -> JSONTree? {
        guard case .object(let entries) = self else { return nil }
        return entries.first { $0.0 == key }?.1
    }

    /// An object with one entry set (added or replaced).
    func setting(_ key: String, to value: JSONTree) -> JSONTree {
        guard case .object(var entries) = self else { return self }
        if let index = entries.firstIndex(where: { $0.0 == key }) {
            entries[index].1 = value
        } else {
            entries.append((key, value))
        }
        return .object(entries)
    }

    /// An object without the given keys.
    func removing(_ keys: Set<String>) -> JSONTree {
        guard case .object(let entries) = self else { return self }
        return .object(entries.filter { !keys.contains($0.0) })
    }

    static func == (lhs: JSONTree, rhs: JSONTree) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.null, .null): true
        default: false
        }
    }

    private struct FieldKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: FieldKey.self) {
            var entries: [(String, JSONTree)] = []
            for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                entries.append((key.stringValue, try container.decode(JSONTree.self, forKey: key)))
            }
            self = .object(entries)
        } else if var container = try? decoder.unkeyedContainer() {
            var items: [JSONTree] = []
            while !container.isAtEnd { items.append(try container.decode(JSONTree.self)) }
            self = .array(items)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                self = .null
            } else if let flag = try? container.decode(Bool.self) {
                self = .bool(flag)
            } else if let number = try? container.decode(Int.self) {
                self = .integer(number)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .string(try container.decode(String.self))
            }
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .number(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .integer(let number):
            var container = encoder.singleValueContainer()
            try container.encode(number)
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .array(let items):
            var container = encoder.unkeyedContainer()
            for item in items { try container.encode(item) }
        case .object(let entries):
            var container = encoder.container(keyedBy: FieldKey.self)
            for (key, value) in entries { try container.encode(value, forKey: FieldKey(stringValue: key)) }
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        }
    }
}
