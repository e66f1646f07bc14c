import Foundation

/// One thing that happened to a running child process, in the order it happened.
///
/// A stream of events always ends with exactly one ``exited(_:)``.
public enum ProcessEvent: Sendable, Equatable {
    /// The child was started.
    case started(ProcessStart)
    /// The child wrote a line (already redacted).
    case output(ProcessOutputLine)
    /// The runner sent a signal to the child's process group to stop it.
    case signalSent(ProcessSignalRecord)
    /// The child's process group is gone; this is the last event.
    case exited(ProcessExit)
}

/// The start of a child process.
public struct ProcessStart: Sendable, Equatable, Codable {
    /// The child's process ID; it is also the ID of the child's own process group.
    public var processID: Int32
    /// When the child was started.
    public var time: Date

    /// Creates a start record.
    public init(processID: Int32, time: Date) {
        self.processID = processID
        self.time = time
    }
}

/// Which output stream of a child a line came from.
public enum ProcessOutputStream: String, Sendable, Equatable, Codable {
    case standardOutput = "stdout"
    case standardError = "stderr"
}

/// One line of a child's output, without its line terminator, with every secret value redacted.
public struct ProcessOutputLine: Sendable, Equatable, Codable {
    /// The stream the line came from.
    public var stream: ProcessOutputStream
    /// The text of the line (invalid UTF-8 is repaired with U+FFFD).
    public var text: String
    /// When the runner received the line.
    public var time: Date

    /// Creates an output line.
    public init(stream: ProcessOutputStream, text: String, time: Date) {
        self.stream = stream
        self.text = text
        self.time = time
    }
}

/// A stop signal the runner sent to a child's process group.
public struct ProcessSignalRecord: Sendable, Equatable, Codable {
    /// The signal number (for example 2 for SIGINT).
    public var signal: Int32
    /// The signal's conventional name, such as `"SIGINT"`.
    public var name: String
    /// Why the runner is stopping the child.
    public var reason: ProcessStopReason
    /// When the signal was sent.
    public var time: Date

    /// Creates a signal record.
    public init(signal: Int32, name: String, reason: ProcessStopReason, time: Date) {
        self.signal = signal
        self.name = name
        self.reason = reason
        self.time = time
    }
}
