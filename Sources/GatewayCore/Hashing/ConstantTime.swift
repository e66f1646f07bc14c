import COpenSSL

/// Comparisons whose time does not depend on where the inputs differ (libcrypto's `CRYPTO_memcmp`),
/// for secrets and their digests.
public enum ConstantTime {
    /// Whether `left` and `right` hold the same bytes. Inputs of different lengths are unequal at
    /// once: only the length, which is not secret for digests, can be learnt from the time.
    public static func equal(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        if left.isEmpty { return true }
        return left.withUnsafeBufferPointer { a in
            right.withUnsafeBufferPointer { b in
                CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
            }
        }
    }
}
