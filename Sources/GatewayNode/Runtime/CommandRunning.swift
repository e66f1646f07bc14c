/// Runs one program from an argument vector to completion (never through a shell) and reports how it
/// ended and what it printed. The node runtime runs every command through this.
public protocol CommandRunning: Sendable {
    /// Runs `argv` (program first: an absolute path or a name on `PATH`).
    /// - Parameters:
    ///   - argv: The program and its arguments.
    ///   - environment: Variables added to the child's environment.
    ///   - redacting: Secret values removed from the captured output.
    ///   - timeout: The longest run time; the child is stopped when it passes.
    /// - Returns: The exit status and the captured output.
    /// - Throws: ``CommandLaunchError`` when the program cannot be started.
    func run(_ argv: [String], environment: [String: String], redacting: [String], timeout: Duration?) async throws -> CommandOutput
}

extension CommandRunning {
    /// Runs `argv` with no extra environment, no redaction and a two-minute limit.
    public func run(_ argv: [String], timeout: Duration? = .seconds(120)) async throws -> CommandOutput {
        try await run(argv, environment: [:], redacting: [], timeout: timeout)
    }
}

/// How a command ended and what it printed.
public struct CommandOutput: Sendable, Equatable {
    /// The exit code, or `nil` when the program was killed by a signal or stopped at its timeout.
    public var exitCode: Int32?
    /// A short description of the end: `exit 0`, `killed by SIGKILL`, `timed out`.
    public var termination: String
    /// Standard output.
    public var standardOutput: String
    /// Standard error.
    public var standardError: String

    /// Creates an output record.
    public init(exitCode: Int32?, termination: String, standardOutput: String, standardError: String) {
        self.exitCode = exitCode
        self.termination = termination
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// `true` when the program exited with status 0.
    public var succeeded: Bool { exitCode == 0 }
}

/// A program could not be started at all (not found, not executable).
public struct CommandLaunchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The argument vector.
    public var argv: [String]
    /// Why it could not start.
    public var reason: String

    /// Creates a launch error.
    public init(argv: [String], reason: String) {
        self.argv = argv
        self.reason = reason
    }

    public var description: String { "cannot run \(argv.first ?? "?"): \(reason)" }
}
