/// The events of one child process, as an `AsyncSequence`.
///
/// The child starts when iteration begins and the sequence ends after its ``ProcessEvent/exited(_:)``
/// event. A stream can be iterated once. Starting the child can fail (the program does not exist,
/// the working directory is missing); iteration then throws a ``ProcessError``. How the child ends
/// is never an error.
///
/// **Stopping.** Cancelling the task that iterates, or calling ``stop()``, stops the child's process
/// group gracefully (SIGINT, then SIGTERM, then SIGKILL, per the command's ``ProcessStopPolicy``).
/// Iteration does *not* end on cancellation: the remaining output, the signals sent and the exit
/// still arrive, so a caller can record how the child really ended. Breaking out of the loop early
/// stops the child and discards the rest of its output.
public struct ProcessEventStream: AsyncSequence, Sendable {
    public typealias Element = ProcessEvent
    public typealias Failure = any Error

    let session: ProcessSession

    init(session: ProcessSession) {
        self.session = session
    }

    /// The command this stream runs.
    public var command: ProcessCommand { session.command }

    /// Stops the child's process group gracefully, as task cancellation does.
    public func stop() {
        session.requestStop(.canceled)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(session: session)
    }

    /// Iterates the events of a ``ProcessEventStream``.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = ProcessEvent
        public typealias Failure = any Error

        /// Stops the child when the iterator is dropped before the end.
        private final class Lifetime: Sendable {
            let session: ProcessSession
            init(session: ProcessSession) { self.session = session }
            deinit { session.abandon() }
        }

        private var lifetime: Lifetime?
        private var batch: [ProcessEvent] = []
        private var position = 0
        private var done = false

        init(session: ProcessSession) {
            if session.claim() {
                lifetime = Lifetime(session: session)
            }
        }

        public mutating func next(isolation actor: isolated (any Actor)? = #isolation) async throws -> ProcessEvent? {
            if position < batch.count {
                defer { position += 1 }
                return batch[position]
            }
            if done { return nil }
            guard let session = lifetime?.session else {
                throw ProcessError(.alreadyConsumed, "the events of a process can be read only once")
            }
            let next = try await withTaskCancellationHandler {
                try await session.nextBatch()
            } onCancel: {
                session.requestStop(.canceled)
            }
            guard let next, !next.isEmpty else {
                done = true
                session.finishedReading()
                lifetime = nil
                return nil
            }
            batch = next
            position = 1
            return next[0]
        }

        public mutating func next() async throws -> ProcessEvent? {
            try await next(isolation: nil)
        }
    }
}
