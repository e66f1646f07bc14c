/// Deterministic UUIDs for the cache array and filesystem, derived from the identity of the devices
/// (serial numbers, or path and size when a device has none). Plans therefore state the exact UUIDs
/// that `mdadm --create` and `mkfs` will set and that fstab and mdadm.conf will name; after a stop/start
/// the instance store is new hardware with new serials, so the new array gets new UUIDs.
public enum StableIdentifier {
    /// A UUID (RFC 9562 version 8, name-based) for `purpose` over the devices.
    public static func uuid(purpose: String, devices: [BlockDevice]) -> String {
        let identity = devices.map { device in device.serial.map { "serial:\($0)" } ?? "path:\(device.path):\(device.size)" }
        var hash = fnv1a128(Array((["gateway-cache", purpose] + identity).joined(separator: "\u{0}").utf8))
        // Version 8 in bits 48-51, variant 10 in bits 64-65.
        hash = (hash & ~(UInt128(0xF) << 76)) | (UInt128(0x8) << 76)
        hash = (hash & ~(UInt128(0x3) << 62)) | (UInt128(0x2) << 62)
        let hex = String(hash, radix: 16)
        let digits = String(repeating: "0", count: 32 - hex.count) + hex
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(digits[digits.index(digits.startIndex, offsetBy: range.lowerBound)..<digits.index(digits.startIndex, offsetBy: range.upperBound)])
        }
        return parts.joined(separator: "-")
    }

    /// A UUID in mdadm's notation: four groups of eight hex digits separated by colons.
    public static func mdadmNotation(_ uuid: String) -> String {
        let hex = uuid.filter(\.isHexDigit).lowercased()
        guard hex.count == 32 else { return uuid }
        return stride(from: 0, to: 32, by: 8).map { offset in
            String(hex[hex.index(hex.startIndex, offsetBy: offset)..<hex.index(hex.startIndex, offsetBy: offset + 8)])
        }.joined(separator: ":")
    }

    /// FNV-1a, 128-bit.
    static func fnv1a128(_ bytes: [UInt8]) -> UInt128 {
        let prime: UInt128 = (1 << 88) + (1 << 8) + 0x3B
        var hash: UInt128 = (0x6C62_272E_07BB_0142 << 64) | 0x62B8_2175_6295_C58D
        for byte in bytes {
            hash ^= UInt128(byte)
            hash = hash &* prime
        }
        return hash
    }
}
