/// A systemd unit file: its name and its sections of `Key=value` lines, rendered as text.
///
/// Values are written exactly as given; build them with ``SystemdSyntax`` so that specifiers, variables,
/// quotes and control characters are escaped.
public struct SystemdUnitFile: Sendable, Equatable {
    /// One `[Section]` with its lines in order. A key may repeat (e.g. `Environment=`).
    public struct Section: Sendable, Equatable {
        /// The section name without brackets, e.g. `Service`.
        public var name: String
        /// The `(key, value)` lines in order.
        public var entries: [(key: String, value: String)]

        /// Creates a section.
        public init(_ name: String, _ entries: [(key: String, value: String)]) {
            self.name = name
            self.entries = entries
        }

        public static func == (lhs: Section, rhs: Section) -> Bool {
            lhs.name == rhs.name && lhs.entries.elementsEqual(rhs.entries, by: { $0.key == $1.key && $0.value == $1.value })
        }
    }

    /// The file name, e.g. `lucidlink-media.service` or the template `versitygw@.service`.
    public var name: String
    /// Comment lines written at the top (without `# `).
    public var header: [String]
    /// The sections in order.
    public var sections: [Section]

    /// Creates a unit file.
    public init(name: String, header: [String] = [], sections: [Section]) {
        self.name = name
        self.header = header
        self.sections = sections
    }

    /// The file's text: header comments, then each section separated by a blank line, ending in a newline.
    public var text: String {
        var lines = header.map { "# " + $0 }
        for (index, section) in sections.enumerated() {
            if index > 0 || !lines.isEmpty { lines.append("") }
            lines.append("[\(section.name)]")
            for entry in section.entries {
                lines.append("\(entry.key)=\(entry.value)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The values of a key in a section, in order (for inspection and tests).
    public func values(_ key: String, in section: String) -> [String] {
        sections.filter { $0.name == section }.flatMap { $0.entries.filter { $0.key == key }.map(\.value) }
    }
}
