import GatewayCore

/// The bearer tokens the API accepts, held only as SHA-256 digests.
struct BearerTokens: Sendable {
    /// A token file or value that cannot be used.
    struct LoadError: Error, CustomStringConvertible, Sendable {
        let description: String
    }

    /// The shortest token accepted: a token must be hard to guess.
    static let minimumLength = 16

    private let digests: [TokenDigest]

    /// Whether no token is configured.
    var isEmpty: Bool { digests.isEmpty }
    /// How many tokens are accepted.
    var count: Int { digests.count }

    /// Holds the digests of the given tokens.
    init(digests: [TokenDigest]) {
        self.digests = digests
    }

    /// Parses a token file: one token per line; blank lines and lines starting with `#` are ignored.
    /// Errors name the file and line, never the token.
    static func parse(fileText: String, file: String) throws(LoadError) -> BearerTokens {
        var digests: [TokenDigest] = []
        for (index, rawLine) in fileText.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if let reason = problem(with: line) {
                throw LoadError(description: "\(file):\(index + 1): the token \(reason)")
            }
            digests.append(TokenDigest(of: line))
        }
        return BearerTokens(digests: digests)
    }

    /// A token from the environment (`GW_REST_TOKEN`).
    static func parse(environmentValue value: String, variable: String) throws(LoadError) -> BearerTokens {
        let token = Substring(value).trimmingWhitespace()
        if let reason = problem(with: token) {
            throw LoadError(description: "\(variable): the token \(reason)")
        }
        return BearerTokens(digests: [TokenDigest(of: token)])
    }

    /// Both sets together.
    func union(_ other: BearerTokens) -> BearerTokens {
        BearerTokens(digests: digests + other.digests)
    }

    /// The digest of the matching token, if `presented` is one of them. Every stored digest is compared,
    /// in constant time each, so the time taken does not tell which one matched or how closely.
    func authenticate(_ presented: some StringProtocol) -> TokenDigest? {
        let candidate = TokenDigest(of: presented)
        var match: TokenDigest?
        for digest in digests where digest.matches(candidate) {
            match = digest
        }
        return match
    }

    /// Why a token is unusable, or `nil`: RFC 6750 `b64token` characters only, and long enough.
    private static func problem(with token: Substring) -> String? {
        guard token.count >= minimumLength else {
            return "is shorter than \(minimumLength) characters; generate one with `openssl rand -hex 32`"
        }
        let allowed = token.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "~") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
        }
        guard allowed else {
            return "contains characters a bearer token cannot have (allowed: letters, digits, - . _ ~ + / =)"
        }
        return nil
    }
}

extension Substring {
    /// The text without leading and trailing spaces, tabs and carriage returns.
    func trimmingWhitespace() -> Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[start...end]
    }
}
