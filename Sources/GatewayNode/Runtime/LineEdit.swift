/// Edits one kind of line in a text file while keeping all others: every line that `matches` is
/// removed and `line` (if any) takes the place of the first of them, or is appended.
struct LineEdit: Sendable {
    /// Selects the lines this edit owns.
    let matches: @Sendable (Substring) -> Bool
    /// The line to hold, or `nil` to remove the owned lines.
    let line: String?

    /// The edited text of `current` (`nil`: the file does not exist).
    func apply(to current: String?) -> String {
        var lines = (current ?? "").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var result: [String] = []
        var placed = false
        for existing in lines {
            if matches(Substring(existing)) {
                if let line, !placed {
                    result.append(line)
                    placed = true
                }
            } else {
                result.append(existing)
            }
        }
        if let line, !placed { result.append(line) }
        return result.isEmpty ? "" : result.joined(separator: "\n") + "\n"
    }
}
