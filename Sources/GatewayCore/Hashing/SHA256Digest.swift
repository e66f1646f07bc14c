import COpenSSL
import Foundation

/// SHA-256 digests (OpenSSL's implementation), as lowercase hexadecimal text.
public enum SHA256Digest {
    /// The digest of `data`, as 64 lowercase hexadecimal characters.
    public static func hex(_ data: Data) -> String {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        data.withUnsafeBytes { bytes in
            _ = SHA256(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, &digest)
        }
        return digest.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    /// The digest of a string's UTF-8 bytes.
    public static func hex(_ text: String) -> String {
        hex(Data(text.utf8))
    }
}
