import Foundation
import GatewayProvision
import Logging
import ServiceLifecycle
import Synchronization

@testable import GatewayREST

/// The REST application served in this process on a real loopback port (port 0: a free one), with a
/// workspace root of its own; every log line it writes is kept for inspection.
final class LiveServer: Sendable {
    let port: Int
    let root: URL
    let logs: LogCapture
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var workspaceRoot: WorkspaceRoot { WorkspaceRoot(url: root) }

    private init(port: Int, root: URL, logs: LogCapture, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.root = root
        self.logs = logs
        self.group = group
        self.task = task
    }

    /// Starts a server.
    /// - Parameters:
    ///   - bundle: What runs deploy (a terraform test project).
    ///   - environment: The server's environment (tool paths, `env:` secrets).
    ///   - shutdownDeadline: How long runs may go on after a graceful shutdown starts.
    static func start(bundle: BundleSource, environment: [String: String], shutdownDeadline: Duration = .seconds(60), root: URL? = nil) async throws -> LiveServer {
        let root = try root ?? RESTTestSupport.temporaryDirectory()
        var configuration = try RESTTestSupport.configuration(root: root)
        configuration.environment = environment
        configuration.shutdownDeadline = shutdownDeadline
        let logs = LogCapture()
        var logger = Logger(label: "gw-rest-live") { label in logs.handler(label: label) }
        logger.logLevel = .debug
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let app = try await buildApplication(configuration, logger: logger, bundle: bundle) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let task = Task { try await group.run() }
        var port = 0
        for await bound in ports { port = bound }
        return LiveServer(port: port, root: root, logs: logs, group: group, task: task)
    }

    /// Starts the graceful shutdown (what SIGTERM does) and waits until the server has stopped.
    func shutDown() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// Shuts down and removes the workspace root.
    func stop() async {
        await shutDown()
        try? FileManager.default.removeItem(at: root)
    }
}

/// Keeps every log line (message and metadata) written through its handlers.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func handler(label: String) -> any LogHandler {
        Handler(label: label, capture: self)
    }

    fileprivate func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let label: String
        let capture: LogCapture
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
            capture.append("\(event.level) \(label): \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        }
    }
}
