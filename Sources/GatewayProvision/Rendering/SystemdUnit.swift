/// A systemd unit file: comment lines, then sections of `Key=Value` lines in the order given.
public struct SystemdUnit: Sendable, Equatable {
    /// A `[Section]` and its entries.
    public struct Section: Sendable, Equatable {
        /// The section name, e.g. `Service`.
        public var name: String
        /// The entries in order; keys may repeat (`After=`, `ExecStartPre=`).
        public var entries: [(key: String, value: String)]

        /// Creates a section.
        public init(_ name: String, _ entries: [(String, String)]) {
            self.name = name
            self.entries = entries.map { (key: $0.0, value: $0.1) }
        }

        public static func == (lhs: Section, rhs: Section) -> Bool {
            lhs.name == rhs.name && lhs.entries.elementsEqual(rhs.entries) { $0.key == $1.key && $0.value == $1.value }
        }
    }

    /// The unit name, e.g. `gateway-proxy.service`.
    public var name: String
    /// Comment lines written at the top.
    public var comments: [String]
    /// The sections.
    public var sections: [Section]

    /// Creates a unit.
    public init(name: String, comments: [String] = [], sections: [Section]) {
        self.name = name
        self.comments = comments
        self.sections = sections
    }

    /// The file's text.
    public var text: String {
        var output = ""
        for comment in comments { output += "# " + SystemdEscaping.singleLine(comment) + "\n" }
        for (index, section) in sections.enumerated() {
            if index > 0 || !comments.isEmpty { output += "\n" }
            output += "[" + section.name + "]\n"
            for entry in section.entries { output += entry.key + "=" + entry.value + "\n" }
        }
        return output
    }
}

/// Escaping for values in systemd unit files.
public enum SystemdEscaping {
    /// Text taken literally in a unit setting: `%` specifiers doubled, line breaks removed.
    public static func literal(_ text: String) -> String {
        singleLine(text).replacingAll("%", with: "%%")
    }

    /// A command line for `ExecStart=` and friends: each argument quoted when needed, `%` and `$`
    /// doubled so that systemd passes them through literally. The first element is the executable.
    public static func command(_ arguments: [String]) -> String {
        arguments.map(argument).joined(separator: " ")
    }

    /// One command-line argument.
    public static func argument(_ text: String) -> String {
        let escaped = singleLine(text).replacingAll("%", with: "%%").replacingAll("$", with: "$$")
        let safe = !escaped.isEmpty && escaped != ";" && escaped.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value < 0x7F && !"\"'\\".unicodeScalars.contains(scalar)
        }
        if safe { return escaped }
        return "\"" + escaped.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }

    /// A command line whose arguments may contain systemd specifiers (such as `%i`) on purpose.
    public static func commandWithSpecifiers(_ arguments: [String]) -> String {
        arguments.joined(separator: " ")
    }

    /// An `Environment=` assignment, quoted.
    public static func environment(_ name: String, _ value: String) -> String {
        let assignment = name + "=" + singleLine(value)
        return "\"" + assignment.replacingAll("%", with: "%%").replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }

    /// Text with line breaks and other control characters replaced by spaces.
    public static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
    }
}

/// Quoting for POSIX shells.
public enum ShellQuoting {
    /// `text` as one shell word: unchanged when it holds only safe characters, otherwise single-quoted.
    public static func quote(_ text: String) -> String {
        let safe = !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "_@%+=:,./-".unicodeScalars.contains(scalar)
        }
        if safe { return text }
        return "'" + text.replacingAll("'", with: "'\\''") + "'"
    }
}

extension String {
    /// Every occurrence of `target` replaced (without Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
