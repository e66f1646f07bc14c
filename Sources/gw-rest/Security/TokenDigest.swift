import GatewayCore

/// SHA-256 of a bearer token, so that tokens are held in memory only as digests and compared in
/// constant time (``ConstantTime``).
struct TokenDigest: Sendable, Equatable {
    /// The 32 digest bytes.
    let bytes: [UInt8]

    /// Digests a token's UTF-8 bytes (OpenSSL's SHA-256, through GatewayCore).
    init(of token: some StringProtocol) {
        bytes = AWSCrypto.sha256(token.utf8)
    }

    /// Compares two digests in time independent of where they differ.
    func matches(_ other: TokenDigest) -> Bool {
        bytes.count == 32 && ConstantTime.equal(bytes, other.bytes)
    }

    /// The first 8 hex digits: a stable, non-secret name for a token in logs.
    var shortID: String {
        bytes.prefix(4).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
