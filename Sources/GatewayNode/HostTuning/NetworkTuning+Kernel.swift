import Foundation
import GatewayCore

extension NetworkTuning {
    /// Whether the running kernel has every setting (whitespace-insensitive).
    static func isApplied() throws(StepError) -> Bool {
        for (key, value) in settings {
            let path = "/proc/sys/" + key.replacingOccurrences(of: ".", with: "/")
            guard let current = try HostFiles.read(path) else { return false }
            let normalized = current.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if normalized != value { return false }
        }
        return true
    }
}
