import Logging

/// Runs child processes: argument vectors only (never a shell), each child in a process group of
/// its own with standard input closed, output delivered line by line with secrets redacted.
///
/// ```swift
/// let runner = ProcessRunner(logger: logger)
/// for try await event in runner.events(for: command) {
///     switch event {
///     case .output(let line): show(line.text)
///     case .exited(let exit): show(exit.status)
///     default: break
///     }
/// }
/// ```
public struct ProcessRunner: Sendable {
    private let logger: Logger

    /// Creates a runner.
    ///
    /// - Parameter logger: Receives debug records of starts, stop signals and exits (with the
    ///   command line redacted); never the output lines.
    public init(logger: Logger = Logger(label: "gateway.process")) {
        self.logger = logger
    }

    /// The events of `command`'s child process. The child starts when iteration begins.
    public func events(for command: ProcessCommand) -> ProcessEventStream {
        ProcessEventStream(session: ProcessSession(command: command, logger: logger))
    }

    /// Runs `command` to completion and captures its output.
    ///
    /// Cancelling the calling task stops the child gracefully; the result then reports
    /// ``ProcessStopReason/canceled`` in ``ProcessExit/stopReason``.
    ///
    /// - Parameters:
    ///   - command: What to run.
    ///   - outputLimit: The most bytes of output (both streams together) kept; later lines are
    ///     dropped and ``ProcessResult/truncated`` is set. Default: 16 MiB.
    /// - Returns: The exit and the captured lines.
    /// - Throws: ``ProcessError`` when the child cannot be started.
    public func run(_ command: ProcessCommand, outputLimit: Int = 16 << 20) async throws -> ProcessResult {
        var standardOutput: [String] = []
        var standardError: [String] = []
        var kept = 0
        var truncated = false
        for try await event in events(for: command) {
            switch event {
            case .output(let line):
                let size = line.text.utf8.count + 1
                guard kept + size <= outputLimit else {
                    truncated = true
                    continue
                }
                kept += size
                switch line.stream {
                case .standardOutput: standardOutput.append(line.text)
                case .standardError: standardError.append(line.text)
                }
            case .exited(let exit):
                return ProcessResult(exit: exit, standardOutput: standardOutput, standardError: standardError, truncated: truncated)
            case .started, .signalSent:
                continue
            }
        }
        throw ProcessError(.outputFailed, "\(command.executable) ended without an exit status")
    }
}
