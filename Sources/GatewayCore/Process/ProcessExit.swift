import Foundation

/// How a child process ended. A non-zero exit status is data, not an error.
public struct ProcessExit: Sendable, Equatable, Codable {
    /// The child's termination status.
    public var status: ProcessTerminationStatus
    /// Why the runner stopped the child, or `nil` when it ended on its own.
    public var stopReason: ProcessStopReason?
    /// When the child was started.
    public var startTime: Date
    /// When the child's exit was observed.
    public var endTime: Date

    /// Creates an exit record.
    public init(status: ProcessTerminationStatus, stopReason: ProcessStopReason?, startTime: Date, endTime: Date) {
        self.status = status
        self.stopReason = stopReason
        self.startTime = startTime
        self.endTime = endTime
    }

    /// `true` when the child exited with status 0 and was not stopped by the runner.
    public var succeeded: Bool { status == .exited(0) && stopReason == nil }

    /// The exit code, or `nil` when the child was killed by a signal.
    public var exitCode: Int32? {
        if case .exited(let code) = status { return code }
        return nil
    }

    /// The run time.
    public var duration: Duration {
        .milliseconds(Int64((endTime.timeIntervalSince(startTime) * 1000).rounded()))
    }
}

/// The way a process terminated.
public enum ProcessTerminationStatus: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The process called `exit` with this code.
    case exited(Int32)
    /// The process was killed by this signal.
    case signaled(Int32)

    /// `exit 3` or `killed by SIGKILL`.
    public var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signaled(let signal): "killed by \(SignalName.of(signal))"
        }
    }
}

/// Why the runner stopped a child.
public enum ProcessStopReason: String, Sendable, Equatable, Codable {
    /// The caller cancelled the run (task cancellation or ``ProcessEventStream/stop()``).
    case canceled
    /// The command's timeout passed.
    case timedOut
}
