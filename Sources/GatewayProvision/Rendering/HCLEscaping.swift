/// Escaping of literal text in HCL quoted strings and heredocs.
///
/// Terraform reads `${` and `%{` as the start of an interpolation or directive everywhere in a template,
/// so literal occurrences are doubled (`$${`, `%%{`). In quoted strings, quotes, backslashes and control
/// characters use backslash escapes, and non-ASCII characters are written as `\uNNNN` / `\UNNNNNNNN` so
/// that rendered files are plain ASCII.
public enum HCLEscaping {
    /// The text between the quotes of a quoted string that reads back as `text`.
    public static func quoted(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count + 2)
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "{" where previous == "$" || previous == "%":
                // `${` / `%{` become `$${` / `%%{`: repeat the sigil before the brace.
                result.unicodeScalars.append(previous!)
                result += "{"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0x10000).contains(scalar.value) {
                    result += "\\u" + hex(scalar.value, digits: 4)
                } else if scalar.value >= 0x10000 {
                    result += "\\U" + hex(scalar.value, digits: 8)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
            previous = scalar
        }
        return result
    }

    /// Heredoc text that reads back as `text`: only `${` and `%{` need escaping there.
    public static func heredoc(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if scalar == "{", let sigil = previous, sigil == "$" || sigil == "%" {
                result.unicodeScalars.append(sigil)
            }
            result.unicodeScalars.append(scalar)
            previous = scalar
        }
        return result
    }

    /// Whether a name can be written bare as an object key or attribute name.
    public static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || isASCIILetter(first) else { return false }
        guard !reservedWords.contains(name) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || $0 == "-" || isASCIILetter($0) || ("0"..."9").contains($0) }
    }

    /// Keywords that would not read as a literal key.
    static let reservedWords: Set<String> = ["true", "false", "null", "for", "in", "if", "endfor", "endif", "else"]

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
