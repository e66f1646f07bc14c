/// The captured output and exit of a child that was run to completion.
public struct ProcessResult: Sendable, Equatable {
    /// How the child ended.
    public var exit: ProcessExit
    /// The lines of standard output, without terminators, redacted.
    public var standardOutput: [String]
    /// The lines of standard error, without terminators, redacted.
    public var standardError: [String]
    /// `true` when more output arrived than the capture limit allowed; later lines were dropped.
    public var truncated: Bool

    /// Creates a result.
    public init(exit: ProcessExit, standardOutput: [String], standardError: [String], truncated: Bool) {
        self.exit = exit
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.truncated = truncated
    }

    /// Standard output as one string, lines joined with `\n`.
    public var outputText: String { standardOutput.joined(separator: "\n") }
    /// Standard error as one string, lines joined with `\n`.
    public var errorText: String { standardError.joined(separator: "\n") }
}
