import Foundation

/// Parameters of a query-protocol call, flattened the way AWS expects (`Names.member.1`, `Filter.1.Value.1`).
public struct QueryParameters: Sendable {
    public private(set) var pairs: [(name: String, value: String)] = []

    public init() {}

    public mutating func add(_ name: String, _ value: String) {
        pairs.append((name, value))
    }

    public mutating func add(_ name: String, _ value: String?) {
        if let value { pairs.append((name, value)) }
    }

    public mutating func add(_ name: String, _ value: Int?) {
        if let value { pairs.append((name, String(value))) }
    }

    public mutating func add(_ name: String, _ value: Bool?) {
        if let value { pairs.append((name, value ? "true" : "false")) }
    }

    public mutating func add(_ name: String, _ value: Double?) {
        if let value { pairs.append((name, Self.format(value))) }
    }

    /// Adds `prefix.1`, `prefix.2`, ... (pass `Names.member` for query lists, `ImageId` for EC2 lists).
    public mutating func addList(_ prefix: String, _ values: [String]) {
        for (index, value) in values.enumerated() { pairs.append(("\(prefix).\(index + 1)", value)) }
    }

    public mutating func append(_ other: QueryParameters) {
        pairs.append(contentsOf: other.pairs)
    }

    /// Shortest round-tripping text of a double (`1`, `0.5`, `1e+21`).
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
