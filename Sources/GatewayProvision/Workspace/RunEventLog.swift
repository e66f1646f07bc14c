import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends events to a run's log file (`events.jsonl`, one JSON object per line, owner-only).
///
/// Each event is written with a single `write` to a file opened for appending, so a reader
/// following the log sees whole lines.
final class RunEventLogWriter: Sendable {
    private let descriptor: Mutex<Int32>
    let url: URL

    init(url: URL) throws {
        self.url = url
        let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ProvisionError(.workspace, "cannot open the event log \(url.path): \(String(cString: strerror(errno)))")
        }
        descriptor = Mutex(fd)
    }

    deinit {
        descriptor.withLock { fd in
            if fd >= 0 { close(fd) }
        }
    }

    /// Appends one event. A failed write is dropped: the log must never stop a run.
    func append(_ event: RunEvent) {
        guard let line = try? event.jsonLine() else { return }
        let data = Array((line + "\n").utf8)
        descriptor.withLock { fd in
            guard fd >= 0 else { return }
            var offset = 0
            while offset < data.count {
                let written = data[offset...].withUnsafeBytes { bytes in
                    #if canImport(Glibc)
                    Glibc.write(fd, bytes.baseAddress, bytes.count)
                    #elseif canImport(Musl)
                    Musl.write(fd, bytes.baseAddress, bytes.count)
                    #else
                    Darwin.write(fd, bytes.baseAddress, bytes.count)
                    #endif
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// Reads a run's event log, either as it is now or following it while the run goes on.
public struct RunEventLogReader: Sendable {
    /// The log file.
    public let url: URL

    /// Every complete event in the log now. Lines that are not events are skipped.
    public func events() throws -> [RunEvent] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw ProvisionError(.notFound, "the event log \(url.path) does not exist")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { RunEvent.decode(line: String($0)) }
    }

    /// The events of the log as they are written, ending after the run's final event (or when
    /// `isFinished` says the run is over and the log has no more complete lines).
    ///
    /// - Parameters:
    ///   - pollInterval: How often the file is checked for new lines.
    ///   - isFinished: Tells whether the run has ended (checked when the log has nothing new).
    public func follow(
        pollInterval: Duration = .milliseconds(100),
        isFinished: @escaping @Sendable () -> Bool
    ) -> RunEventFollower {
        RunEventFollower(url: url, pollInterval: pollInterval, isFinished: isFinished)
    }
}

/// The events of a run's log as they are written (see ``RunEventLogReader/follow(pollInterval:isFinished:)``).
public struct RunEventFollower: AsyncSequence, Sendable {
    public typealias Element = RunEvent
    public typealias Failure = any Error

    let url: URL
    let pollInterval: Duration
    let isFinished: @Sendable () -> Bool

    public func makeAsyncIterator() -> Iterator {
        Iterator(url: url, pollInterval: pollInterval, isFinished: isFinished)
    }

    /// Iterates a ``RunEventFollower``; polls the file, so it needs no cooperation from the writer.
    public struct Iterator: AsyncIteratorProtocol {
        public typealias Element = RunEvent
        public typealias Failure = any Error

        let url: URL
        let pollInterval: Duration
        let isFinished: @Sendable () -> Bool
        private var offset: UInt64 = 0
        private var pending: [UInt8] = []
        private var ready: [RunEvent] = []
        private var ended = false

        init(url: URL, pollInterval: Duration, isFinished: @escaping @Sendable () -> Bool) {
            self.url = url
            self.pollInterval = pollInterval
            self.isFinished = isFinished
        }

        public mutating func next(isolation actor: isolated (any Actor)? = #isolation) async throws -> RunEvent? {
            while true {
                if !ready.isEmpty { return ready.removeFirst() }
                if ended { return nil }
                // Checked before reading, so that lines written just before the run ended are read.
                let finishedBeforeRead = isFinished()
                readNewLines()
                if !ready.isEmpty { continue }
                if finishedBeforeRead {
                    ended = true
                    return nil
                }
                try await Task.sleep(for: pollInterval)
            }
        }

        private mutating func readNewLines() {
            guard let handle = FileHandle(forReadingAtPath: url.path) else { return }
            defer { try? handle.close() }
            guard (try? handle.seek(toOffset: offset)) != nil, let data = try? handle.readToEnd(), !data.isEmpty else { return }
            offset += UInt64(data.count)
            pending.append(contentsOf: data)
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if let event = RunEvent.decode(line: line) {
                    ready.append(event)
                    if event.type == .runFinished { ended = true }
                }
            }
        }
    }
}
