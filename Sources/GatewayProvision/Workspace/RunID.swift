import Foundation

/// Identifies one run: its start time (UTC, to the second) and a random suffix, e.g.
/// `20261127T095018Z-3fa2c1`. IDs sort by start time and are unique across deployments.
public enum RunID {
    /// A new ID for a run starting at `time`.
    public static func make(at time: Date = Date()) -> String {
        let components = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: time)
        let stamp = String(
            format: "%04d%02d%02dT%02d%02d%02dZ", components.year ?? 0, components.month ?? 0, components.day ?? 0,
            components.hour ?? 0, components.minute ?? 0, components.second ?? 0)
        let suffix = String(UInt32.random(in: 0...0xFF_FFFF), radix: 16)
        return stamp + "-" + String(repeating: "0", count: 6 - suffix.count) + suffix
    }

    /// `true` for text shaped like a run ID (and so safe as a directory name).
    public static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 16, parts[1].count == 6 else { return false }
        let stamp = Array(parts[0])
        guard stamp[8] == "T", stamp[15] == "Z" else { return false }
        let digits = stamp[0..<8] + stamp[9..<15]
        return digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
            && parts[1].allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
