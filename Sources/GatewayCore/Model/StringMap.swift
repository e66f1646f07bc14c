/// A map of string keys to string values (tags, environment variables) with deterministic, sorted order.
///
/// Its keys are free-form, unlike the fixed keys of the settings structs, so the loader accepts any key here.
public struct StringMap: Codable, Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The entries.
    public var values: [String: String]

    /// Creates a map from a dictionary.
    public init(_ values: [String: String] = [:]) { self.values = values }

    /// Creates a map from a dictionary literal.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.values = Dictionary(elements, uniquingKeysWith: { _, last in last })
    }

    /// The entries sorted by key.
    public var sorted: [(key: String, value: String)] {
        values.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    /// Whether the map has no entries.
    public var isEmpty: Bool { values.isEmpty }

    /// The value for a key.
    public subscript(key: String) -> String? {
        get { values[key] }
        set { values[key] = newValue }
    }

    public init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: String].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }
}

/// Marks types whose keys are free-form, so the config loader does not report them as unknown.
protocol OpenKeyedValue {}
extension StringMap: OpenKeyedValue {}
