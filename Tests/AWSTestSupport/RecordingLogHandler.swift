import Foundation
import Logging
import Synchronization

/// A swift-log handler that keeps every rendered line, to check that no secret reaches a log.
struct RecordingLogHandler: LogHandler {
    final class Store: Sendable {
        let lines = Mutex<[String]>([])
        var text: String { lines.withLock { $0.joined(separator: "\n") } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered =
            "\(event.level) \(event.message) "
            + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            + (event.error.map { " error=\($0)" } ?? "")
        store.lines.withLock { $0.append(rendered) }
    }

    static func logger(_ store: Store) -> Logger {
        var logger = Logger(label: "gateway.test") { _ in RecordingLogHandler(store: store) }
        logger.logLevel = .trace
        return logger
    }
}
