import Foundation

/// Percent-encoding as SigV4 defines it: every byte except `A-Z a-z 0-9 - _ . ~` becomes `%XX` (upper-case hex).
public enum AWSPercentEncoding {
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Encodes `text` for a query name or value (`/` is encoded too).
    public static func encode(_ text: String) -> String {
        encode(text, keepingSlash: false)
    }

    /// Encodes a path, keeping `/` separators.
    public static func encodePath(_ path: String) -> String {
        encode(path, keepingSlash: true)
    }

    private static func encode(_ text: String, keepingSlash: Bool) -> String {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.append(byte)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0f)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Encodes name/value pairs as an `application/x-www-form-urlencoded` body the way botocore does
    /// (Python's `urlencode`): SigV4 encoding, except that a space becomes `+`.
    public static func formBody(_ pairs: [(name: String, value: String)]) -> String {
        pairs.map { formEncode($0.name) + "=" + formEncode($0.value) }.joined(separator: "&")
    }

    private static func formEncode(_ text: String) -> String {
        encode(text).replacingOccurrences(of: "%20", with: "+")
    }
}
