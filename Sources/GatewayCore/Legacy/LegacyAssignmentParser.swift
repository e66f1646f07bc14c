/// Reads the reference system's bash-style `config_vars.txt` (`KEY="value"` lines, `export`, comments,
/// single or double quotes) as plain data. Nothing is executed or expanded: `$(...)`, backticks and
/// `$VAR` stay literal text.
struct LegacyAssignmentParser {
    struct Assignment: Equatable {
        var key: String
        var value: String
        var line: Int
    }

    private(set) var assignments: [Assignment] = []
    private(set) var notices: [String] = []

    mutating func parse(_ text: String) {
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = offset + 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            line = line.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") || line.hasPrefix("export\t") {
                line = line.dropFirst(7).drop { $0 == " " || $0 == "\t" }
            }
            guard let equals = line.firstIndex(of: "=") else {
                notices.append("line \(lineNumber): ignored, not a KEY=value assignment")
                continue
            }
            let key = String(line[..<equals])
            guard Self.isName(key) else {
                notices.append("line \(lineNumber): ignored, \"\(key.prefix(40))\" is not a variable name")
                continue
            }
            switch Self.value(line[line.index(after: equals)...]) {
            case .success(let value):
                assignments.append(Assignment(key: key, value: value, line: lineNumber))
            case .failure(let problem):
                notices.append("line \(lineNumber): \(key) ignored, \(problem.text)")
            }
        }
    }

    private struct Problem: Error { let text: String }

    private static func isName(_ key: String) -> Bool {
        guard let first = key.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    /// The value of the right-hand side: concatenated quoted and unquoted words up to whitespace or `#`.
    private static func value(_ text: Substring) -> Result<String, Problem> {
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            switch character {
            case "\"":
                var cursor = text.index(after: index)
                var closed = false
                while cursor < text.endIndex {
                    let next = text[cursor]
                    if next == "\"" {
                        closed = true
                        break
                    }
                    if next == "\\", text.index(after: cursor) < text.endIndex {
                        let escaped = text[text.index(after: cursor)]
                        if "\"\\$`".contains(escaped) {
                            result.append(escaped)
                        } else {
                            result.append("\\")
                            result.append(escaped)
                        }
                        cursor = text.index(cursor, offsetBy: 2)
                        continue
                    }
                    result.append(next)
                    cursor = text.index(after: cursor)
                }
                guard closed else { return .failure(Problem(text: "unterminated double quote")) }
                index = text.index(after: cursor)
            case "'":
                guard let end = text[text.index(after: index)...].firstIndex(of: "'") else {
                    return .failure(Problem(text: "unterminated single quote"))
                }
                result += text[text.index(after: index)..<end]
                index = text.index(after: end)
            case " ", "\t":
                let rest = text[index...].drop { $0 == " " || $0 == "\t" }
                if rest.isEmpty || rest.hasPrefix("#") { return .success(result) }
                return .failure(Problem(text: "the value has unquoted spaces"))
            case "#" where result.isEmpty && index == text.startIndex:
                return .success("")
            case "`":
                // Command substitution is kept as inert text, spaces and all.
                guard let end = text[text.index(after: index)...].firstIndex(of: "`") else {
                    return .failure(Problem(text: "unterminated backtick"))
                }
                result += text[index...end]
                index = text.index(after: end)
            case "$" where text[index...].hasPrefix("$("):
                var depth = 0
                var cursor = index
                var end: Substring.Index?
                while cursor < text.endIndex {
                    if text[cursor] == "(" { depth += 1 }
                    if text[cursor] == ")" {
                        depth -= 1
                        if depth == 0 {
                            end = cursor
                            break
                        }
                    }
                    cursor = text.index(after: cursor)
                }
                guard let end else { return .failure(Problem(text: "unterminated $(")) }
                result += text[index...end]
                index = text.index(after: end)
            case "\\":
                let next = text.index(after: index)
                if next < text.endIndex {
                    result.append(text[next])
                    index = text.index(after: next)
                } else {
                    index = next
                }
            default:
                result.append(character)
                index = text.index(after: index)
            }
        }
        return .success(result)
    }
}
