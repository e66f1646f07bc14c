/// A secret value such as a LucidLink password or an S3 root key, held by reference.
///
/// A secret is written in a config as a literal, as `env:NAME`, `file:PATH` or `ssm:/PATH`. Its
/// descriptions, its mirror (`dump`), string interpolation and its encoded form never contain a literal
/// value: a literal encodes as `<redacted>`, references encode as themselves. Read the value with
/// ``SecretResolver``.
public struct Secret: Sendable, Equatable, Hashable {
    /// Where the value comes from.
    public enum Source: Sendable, Equatable, Hashable {
        /// Not given.
        case unset
        /// The value itself, written in the config.
        case literal(String)
        /// An environment variable.
        case environment(String)
        /// A file whose content (without a trailing newline) is the value.
        case file(String)
        /// An AWS SSM SecureString parameter.
        case ssmParameter(String)
        /// A literal that was redacted when the config was written out; it has no value any more.
        case redacted
    }

    /// Where the value comes from.
    public let source: Source

    /// The text a redacted literal is written as.
    public static let redactedMarker = "<redacted>"

    /// A secret that was not given.
    public static let unset = Secret(source: .unset)

    /// Creates a secret from its source.
    public init(source: Source) { self.source = source }

    /// Parses the config notation: `env:NAME`, `file:PATH`, `ssm:/PATH`, `<redacted>`, empty for unset,
    /// anything else is a literal value.
    public init(reference text: String) {
        if text.isEmpty {
            source = .unset
        } else if text == Self.redactedMarker {
            source = .redacted
        } else if text.hasPrefix("env:") {
            source = .environment(String(text.dropFirst(4)))
        } else if text.hasPrefix("file:") {
            source = .file(String(text.dropFirst(5)))
        } else if text.hasPrefix("ssm:") {
            source = .ssmParameter(String(text.dropFirst(4)))
        } else {
            source = .literal(text)
        }
    }

    /// Whether the secret was given at all.
    public var isSet: Bool { source != .unset }

    /// The reference as written in a config, with a literal value replaced by `<redacted>`.
    public var redactedReference: String {
        switch source {
        case .unset: ""
        case .literal, .redacted: Self.redactedMarker
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        case .ssmParameter(let path): "ssm:\(path)"
        }
    }

    /// The literal value, for the few places that must write it back to the user's own file
    /// (legacy import). Never log or return this.
    public var exportableLiteral: String? {
        if case .literal(let value) = source { return value }
        return nil
    }
}

extension Secret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        isSet ? "Secret(\(redactedReference))" : "Secret(unset)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["reference": redactedReference], displayStyle: .struct)
    }
}

extension Secret: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self.init(reference: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if encoder.userInfo[Secret.revealLiteralsKey] as? Bool == true, let literal = exportableLiteral {
            try container.encode(literal)
        } else {
            try container.encode(redactedReference)
        }
    }

    /// Encoder `userInfo` key: when `true`, literal secrets are encoded as their values. Only for writing
    /// a config back to the user's own file (e.g. legacy import); never for reports, logs or responses.
    public static let revealLiteralsKey = CodingUserInfoKey(rawValue: "gateway.secret.revealLiterals")!
}
