import Logging
import NIOCore
import Synchronization

/// State shared by all event loops of one running proxy.
final class ProxyRuntime: Sendable {
    let settings: ProxyRuntimeSettings
    let metrics: ProxyMetrics
    let logger: Logger
    let accessLog: AccessLogSink?
    let maxConnections: Int
    let openConnections = Atomic<Int>(0)
    private let draining = Atomic<Bool>(false)
    private let backendList: Mutex<[Backend]>

    init(configuration: ProxyConfiguration, metrics: ProxyMetrics, logger: Logger, accessLog: AccessLogSink?, backends: [Backend]) {
        self.settings = ProxyRuntimeSettings(configuration)
        self.metrics = metrics
        self.logger = logger
        self.accessLog = accessLog
        self.maxConnections = configuration.maxConnections
        self.backendList = Mutex(backends)
    }

    var isDraining: Bool { draining.load(ordering: .relaxed) }

    func startDraining() { draining.store(true, ordering: .relaxed) }

    var backends: [Backend] { backendList.withLock { $0 } }

    func replaceBackends(_ list: [Backend]) { backendList.withLock { $0 = list } }

    func healthyBackendCount() -> Int {
        backendList.withLock { list in list.reduce(0) { $0 + ($1.isUp.load(ordering: .relaxed) ? 1 : 0) } }
    }

    func backendCount() -> Int { backendList.withLock { $0.count } }

    /// The Prometheus exposition text, with gauges refreshed from the live counters.
    func renderMetrics() -> [UInt8] {
        var inFlight = 0
        for backend in backends {
            let outstanding = backend.outstanding.load(ordering: .relaxed)
            inFlight += outstanding
            backend.outstandingGauge.set(Int64(outstanding))
            backend.upGauge.set(backend.isUp.load(ordering: .relaxed) ? Int64(1) : Int64(0))
        }
        metrics.inFlight.set(Int64(inFlight))
        metrics.clientConnections.set(Int64(openConnections.load(ordering: .relaxed)))
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16 * 1024)
        metrics.registry.emit(into: &buffer)
        metrics.durations.emit(into: &buffer)
        metrics.firstByte.emit(into: &buffer)
        return buffer
    }
}
