import Foundation

/// The one rule for rollout checkpoints, used by the config (`rollout.checkpoints`) and by the
/// rollout action: distinct whole percentages from 1 to 100, taken in ascending order, with 100
/// added when missing (Auto Scaling ends every refresh at 100%, so the last checkpoint must say so).
public enum RolloutCheckpoints {
    /// What is wrong with `checkpoints` (a sentence without the field's name), or `nil` when they
    /// follow the rule.
    public static func problem(_ checkpoints: [Int]) -> String? {
        if checkpoints.isEmpty { return "must list at least one checkpoint" }
        if let outside = checkpoints.first(where: { !(1...100).contains($0) }) {
            return "\(text(checkpoints)) has \(outside), outside 1 to 100"
        }
        if Set(checkpoints).count != checkpoints.count { return "\(text(checkpoints)) lists a percentage twice" }
        return nil
    }

    /// The hint that goes with a ``problem(_:)``.
    public static let hint = "list distinct percentages from 1 to 100, e.g. 33,66,100 (taken in ascending order; 100 is added when missing)"

    /// The checkpoints as Auto Scaling takes them: ascending, ending at 100.
    public static func normalized(_ checkpoints: [Int]) -> [Int] {
        let sorted = Array(Set(checkpoints)).sorted()
        return sorted.last == 100 || sorted.isEmpty ? sorted : sorted + [100]
    }

    /// Checkpoints as comma-separated text, `33,66,100`.
    public static func text(_ checkpoints: [Int]) -> String {
        checkpoints.map(String.init).joined(separator: ",")
    }

    /// Parses comma-separated percentages (`33,66,100`, spaces allowed); `nil` when a part is not
    /// a whole number.
    public static func parse(_ text: String) -> [Int]? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.compactMap { $0 }
    }
}
