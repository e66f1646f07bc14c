/// Escaping of values written into systemd unit files (see systemd.unit(5) and systemd.service(5)).
///
/// systemd expands `%` specifiers in most settings and `$VAR` in command lines; command-line words are
/// split at whitespace unless quoted. These helpers turn arbitrary text into values systemd reads back
/// as exactly that text.
public enum SystemdSyntax {
    /// Text for a setting that expands specifiers but is not split or quoted (e.g. `Description=`):
    /// `%` becomes `%%` and control characters become spaces.
    public static func plainValue(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": result += "%%"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: result += " "
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// One word of an `Exec*=` command line. Words made only of safe characters are written as they
    /// are; others are double-quoted with `\`, `"` and control characters escaped. `%` and `$` are
    /// always escaped (`%%`, `$$`), so no specifier or variable is expanded.
    public static func execArgument(_ word: String) -> String {
        let safe =
            !word.isEmpty
            && word.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "/._-+=:,@".unicodeScalars.contains(scalar))
            }
        if safe { return word }
        return "\"" + escapedInQuotes(word, dollar: true) + "\""
    }

    /// A whole command line from an argument vector (program first).
    public static func execLine(_ argv: [String]) -> String {
        argv.map(execArgument).joined(separator: " ")
    }

    /// One `Environment=` assignment, double-quoted when the value needs it. `%` is escaped; `$` needs
    /// no escaping in `Environment=` (it is not expanded there).
    public static func environmentAssignment(name: String, value: String) -> String {
        let assignment = "\(name)=\(value)"
        let safe = assignment.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && scalar.value > 0x20 && scalar.value != 0x7F && !"\"'\\%".unicodeScalars.contains(scalar)
        }
        if safe { return assignment }
        return "\"" + escapedInQuotes(assignment, dollar: false) + "\""
    }

    /// A path in a setting that takes a path and expands specifiers (e.g. `WorkingDirectory=`,
    /// `RequiresMountsFor=`, the path of `LoadCredentialEncrypted=`). Validated config paths hold no
    /// spaces; `%` is escaped.
    public static func path(_ path: String) -> String {
        plainValue(path)
    }

    /// The name of the mount unit systemd generates for a mount point, as `systemd-escape --path
    /// --suffix=mount` gives it: `/data` → `data.mount`, `/mnt/nvme-cache` → `mnt-nvme\x2dcache.mount`.
    public static func mountUnitName(for path: String) -> String {
        let trimmed = path.split(separator: "/").joined(separator: "/")
        guard !trimmed.isEmpty else { return "-.mount" }
        var name = ""
        for (index, byte) in trimmed.utf8.enumerated() {
            let character = Character(UnicodeScalar(byte))
            if byte == UInt8(ascii: "/") {
                name += "-"
            } else if character.isASCII && (character.isLetter || character.isNumber || byte == UInt8(ascii: "_") || (byte == UInt8(ascii: ".") && index > 0)) {
                name.append(character)
            } else {
                let hex = String(byte, radix: 16)
                name += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return name + ".mount"
    }

    private static func escapedInQuotes(_ text: String, dollar: Bool) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "%": result += "%%"
            case "$" where dollar: result += "$$"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
