import Foundation
import GatewayProvision
import Hummingbird
import Logging
import Synchronization

/// Follows one run's event log and fans its events out to any number of Server-Sent Events clients.
///
/// One tail per run reads the log (`events.jsonl`, written by whichever process runs the run) and
/// turns each line into an SSE frame once: `id` is the event's line number (1-based), `event` its
/// type, `data` the JSON line as logged. A client that subscribes after event `n` first receives
/// every frame after `n` that the tail has read, then each new frame as it is read; both happen
/// under one lock, so no event is lost or repeated, and ids are the same for every client and on
/// every reconnection (`Last-Event-ID`).
final class RunEventTail: Sendable {
    typealias Frames = AsyncStream<ByteBuffer>

    /// A client, with the id of the last event it has been given (only touched under the lock).
    private final class Subscriber {
        let continuation: Frames.Continuation
        var delivered: Int

        init(continuation: Frames.Continuation, delivered: Int) {
            self.continuation = continuation
            self.delivered = delivered
        }
    }

    private struct State {
        var offset: UInt64 = 0
        var pending: [UInt8] = []
        var frames: [ByteBuffer] = []
        /// Each subscriber, with the id of the last event it has been given.
        var subscribers: [UUID: Subscriber] = [:]
        var finished = false
        var lastActivity = ContinuousClock.now
    }

    let runID: String
    private let workspace: DeploymentWorkspace
    private let state = Mutex(State())

    /// How often the log is checked for new lines.
    static let pollInterval = Duration.milliseconds(100)
    /// How long a tail of a running run stays without subscribers before it stops.
    static let idleLifetime = Duration.seconds(30)
    /// How often an idle stream gets a comment, so proxies and clients keep the connection.
    static let keepAliveInterval = Duration.seconds(15)

    init(workspace: DeploymentWorkspace, runID: String) {
        self.workspace = workspace
        self.runID = runID
    }

    /// A stream of the frames after event `lastEventID`, ending after the run's final event, and a
    /// function that ends it early.
    func subscribe(after lastEventID: Int) -> (frames: Frames, close: @Sendable () -> Void) {
        let (stream, continuation) = Frames.makeStream(bufferingPolicy: .unbounded)
        let key = UUID()
        continuation.yield(ByteBuffer(string: "retry: 2000\n\n"))
        state.withLock { state in
            for frame in state.frames.dropFirst(max(0, lastEventID)) {
                continuation.yield(frame)
            }
            if state.finished {
                continuation.finish()
            } else {
                state.subscribers[key] = Subscriber(continuation: continuation, delivered: max(lastEventID, state.frames.count))
                state.lastActivity = .now
            }
        }
        continuation.onTermination = { [weak self] _ in
            self?.state.withLock { state in
                _ = state.subscribers.removeValue(forKey: key)
                state.lastActivity = .now
            }
        }
        return (stream, { continuation.finish() })
    }

    /// Whether the tail has delivered the final event (or given up following an idle run).
    var isFinished: Bool { state.withLock { $0.finished } }

    /// Reads the log until the run ends, or until nobody has listened for ``idleLifetime``.
    func follow() async {
        var lastKeepAlive = ContinuousClock.now
        while !Task.isCancelled {
            if readNewLines() { return }
            let (idle, quiet) = state.withLock { state in
                (state.subscribers.isEmpty && ContinuousClock.now - state.lastActivity > Self.idleLifetime, state.subscribers.isEmpty)
            }
            if idle {
                finish()
                return
            }
            if let record = try? workspace.record(runID) {
                if record.status.isFinal {
                    // The final event is in the log already: read once more and end.
                    _ = readNewLines()
                    finish()
                    return
                }
                if !record.owner.isAlive {
                    // Its process died without finishing it: the library marks it interrupted and
                    // logs a final event, which the next read delivers.
                    await workspace.recoverInterruptedRuns()
                }
            }
            if !quiet, ContinuousClock.now - lastKeepAlive > Self.keepAliveInterval {
                broadcast(ByteBuffer(string: ": keep-alive\n\n"))
                lastKeepAlive = .now
            }
            try? await Task.sleep(for: Self.pollInterval)
        }
        finish()
    }

    /// Reads what was appended to the log since the last read and fans it out.
    /// - Returns: Whether the run's final event was read.
    private func readNewLines() -> Bool {
        let offset = state.withLock { $0.offset }
        guard let handle = FileHandle(forReadingAtPath: workspace.eventLogURL(runID).path) else { return false }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd(), !data.isEmpty else { return false }
        var sawFinal = false
        state.withLock { state in
            state.offset += UInt64(data.count)
            state.pending.append(contentsOf: data)
            while let newline = state.pending.firstIndex(of: 0x0A) {
                var line = String(decoding: state.pending[..<newline], as: UTF8.self)
                state.pending.removeSubrange(...newline)
                if line.hasSuffix("\r") { line.removeLast() }
                guard let event = RunEvent.decode(line: line) else { continue }
                let id = state.frames.count + 1
                let frame = ByteBuffer(string: "id: \(id)\nevent: \(event.type.rawValue)\ndata: \(line)\n\n")
                state.frames.append(frame)
                for subscriber in state.subscribers.values where subscriber.delivered < id {
                    subscriber.continuation.yield(frame)
                    subscriber.delivered = id
                }
                if event.type == .runFinished { sawFinal = true }
            }
        }
        if sawFinal { finish() }
        return sawFinal
    }

    private func broadcast(_ frame: ByteBuffer) {
        state.withLock { state in
            for subscriber in state.subscribers.values { subscriber.continuation.yield(frame) }
        }
    }

    private func finish() {
        let subscribers = state.withLock { state -> [Frames.Continuation] in
            state.finished = true
            defer { state.subscribers.removeAll() }
            return state.subscribers.values.map(\.continuation)
        }
        for continuation in subscribers { continuation.finish() }
    }
}
