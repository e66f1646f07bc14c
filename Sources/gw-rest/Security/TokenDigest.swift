import COpenSSL

/// SHA-256 of a bearer token, so that tokens are held in memory only as digests and compared in
/// constant time.
struct TokenDigest: Sendable, Equatable {
    /// The 32 digest bytes.
    let bytes: [UInt8]

    /// Digests a token's UTF-8 bytes with libcrypto's EVP SHA-256.
    init(of token: some StringProtocol) {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let input = Array(token.utf8)
        let succeeded = input.withUnsafeBufferPointer { buffer in
            EVP_Digest(buffer.baseAddress, buffer.count, &output, &length, EVP_sha256(), nil) == 1
        }
        // EVP_Digest with SHA-256 fails only when libcrypto cannot allocate; no digest must match then.
        bytes = succeeded ? Array(output.prefix(Int(length))) : []
    }

    /// Compares two digests in time independent of where they differ.
    func matches(_ other: TokenDigest) -> Bool {
        guard bytes.count == 32, other.bytes.count == 32 else { return false }
        return bytes.withUnsafeBufferPointer { left in
            other.bytes.withUnsafeBufferPointer { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, 32) == 0
            }
        }
    }

    /// The first 8 hex digits: a stable, non-secret name for a token in logs and run records.
    var shortID: String {
        bytes.prefix(4).map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}
