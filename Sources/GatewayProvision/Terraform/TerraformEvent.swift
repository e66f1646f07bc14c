import GatewayCore

/// One event of a terraform run: terraform's own typed UI events where it speaks `-json`, plain
/// lines otherwise, and the start, stop signals and exit of the process.
public enum TerraformEvent: Sendable, Equatable {
    /// Terraform was started.
    case started(ProcessStart)
    /// A line of terraform's machine-readable UI.
    case ui(TerraformUIEvent)
    /// A line that is not a UI event (standard error, plain text output), already redacted.
    case output(ProcessOutputLine)
    /// The runner signalled terraform's process group to stop it.
    case signalSent(ProcessSignalRecord)
    /// Terraform's process group is gone; the last event.
    case exited(ProcessExit)
}

/// The events of one terraform command, as an `AsyncSequence`; see ``ProcessEventStream`` for how
/// starting, stopping and cancellation work.
public struct TerraformEventStream: AsyncSequence, Sendable {
    public typealias Element = TerraformEvent
    public typealias Failure = any Error

    let events: ProcessEventStream
    let decodesUI: Bool

    /// The command line, with secret values redacted, for records and logs.
    public var commandLine: String { events.command.description }

    /// Stops terraform gracefully (SIGINT first: terraform finishes the operations in flight,
    /// writes its state and releases its state lock).
    public func stop() {
        events.stop()
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: events.makeAsyncIterator(), decodesUI: decodesUI)
    }

    /// Iterates a ``TerraformEventStream``.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = TerraformEvent
        public typealias Failure = any Error

        var base: ProcessEventStream.Iterator
        let decodesUI: Bool

        public mutating func next(isolation actor: isolated (any Actor)? = #isolation) async throws -> TerraformEvent? {
            guard let event = try await base.next(isolation: actor) else { return nil }
            switch event {
            case .started(let start):
                return .started(start)
            case .output(let line):
                if decodesUI, line.stream == .standardOutput, let ui = TerraformUIEvent.decode(line: line.text) {
                    return .ui(ui)
                }
                return .output(line)
            case .signalSent(let record):
                return .signalSent(record)
            case .exited(let exit):
                return .exited(exit)
            }
        }

        public mutating func next() async throws -> TerraformEvent? {
            try await next(isolation: nil)
        }
    }
}
