/// One problem found in a config: where it is, how bad it is, what is wrong and how to fix it.
public struct ConfigProblem: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// Severity of a problem.
    public enum Severity: String, Sendable, Equatable, Hashable, Codable {
        /// The config cannot be used.
        case error
        /// The config works, but probably not as intended.
        case warning
    }

    /// Key path, e.g. `filespaces[1].clientVersion`; empty for the whole file.
    public var path: String
    /// Line in the file, when the config came from a file.
    public var line: Int?
    /// Column in the file, when the config came from a file.
    public var column: Int?
    /// Error or warning.
    public var severity: Severity
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var hint: String

    /// Creates a problem.
    public init(path: String, position: SourcePosition? = nil, severity: Severity = .error, message: String, hint: String) {
        self.path = path
        self.line = position?.line
        self.column = position?.column
        self.severity = severity
        self.message = message
        self.hint = hint
    }

    /// `path: message (hint)`, prefixed with `warning: ` for warnings.
    public var description: String {
        let prefix = severity == .warning ? "warning: " : ""
        let location = path.isEmpty ? "" : "\(path): "
        return "\(prefix)\(location)\(message) (\(hint))"
    }

    /// `FILE:LINE:COL: path: message (hint)`, the form compilers and editors understand.
    public func formatted(file: String) -> String {
        "\(file):\(line ?? 1):\(column ?? 1): \(description)"
    }

    enum CodingKeys: String, CodingKey {
        case path, line, column, severity, message, hint
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(path, forKey: .path)
        try container.encode(line, forKey: .line)
        try container.encode(column, forKey: .column)
        try container.encode(severity, forKey: .severity)
        try container.encode(message, forKey: .message)
        try container.encode(hint, forKey: .hint)
    }
}

/// A config could not be loaded; every problem found is listed.
public struct ConfigLoadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, in file order where known.
    public var problems: [ConfigProblem]

    /// The config as far as it could be read (wrong values replaced by defaults), so that callers can
    /// validate the rest and report everything at once; `nil` when the file could not be parsed at all.
    public var partial: LoadedConfig?

    /// Creates a load error.
    public init(problems: [ConfigProblem], partial: LoadedConfig? = nil) {
        self.problems = problems
        self.partial = partial
    }

    /// Every problem: the load problems, plus the validation problems of the partially read config on
    /// paths the load problems do not already cover.
    public func allProblems(environment: [String: String]? = nil) -> [ConfigProblem] {
        guard let partial else { return problems }
        let covered = Set(problems.map(\.path))
        let extra = partial.validate(environment: environment).filter { problem in
            !covered.contains { problem.path == $0 || problem.path.hasPrefix($0 + ".") || problem.path.hasPrefix($0 + "[") }
        }
        return problems + extra
    }

    public static func == (lhs: ConfigLoadError, rhs: ConfigLoadError) -> Bool { lhs.problems == rhs.problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
