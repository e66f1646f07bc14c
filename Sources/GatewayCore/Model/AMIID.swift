/// The ID of an Amazon Machine Image: `ami-` followed by 8 or 17 lowercase hexadecimal digits.
///
/// The one rule for AMI IDs: the config (`compute.amiId`), the actions that take an AMI (plan,
/// apply, rollout), packer's manifest and the API's schema all use it.
public struct AMIID: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// The ID, e.g. `ami-0123456789abcdef0`.
    public let rawValue: String

    /// The rule as a regular expression, for schemas.
    public static let pattern = "^ami-([0-9a-f]{8}|[0-9a-f]{17})$"
    /// How a valid ID looks, for hints.
    public static let shape = "ami- followed by 8 or 17 lowercase hexadecimal digits, e.g. ami-0123456789abcdef0"

    /// Parses an AMI ID; `nil` when `text` is not shaped like one.
    public init?(_ text: String) {
        guard Self.isValid(text) else { return nil }
        rawValue = text
    }

    /// `true` for text shaped like an AMI ID.
    public static func isValid(_ text: String) -> Bool {
        guard text.hasPrefix("ami-") else { return false }
        let digits = text.utf8.dropFirst(4)
        return (digits.count == 8 || digits.count == 17)
            && digits.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0) }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = AMIID(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an AMI ID: use \(Self.shape)"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: AMIID, rhs: AMIID) -> Bool { lhs.rawValue < rhs.rawValue }
}
