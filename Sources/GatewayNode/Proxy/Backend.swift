import NIOCore
import Prometheus
import Synchronization

/// One backend and the state every event loop shares about it: health and load.
final class Backend: Sendable {
    let url: ProxyBackendURL
    let address: SocketAddress
    let label: String

    /// Requests assigned to this backend by all event loops, as each loop last published its own count
    /// (at every tick): loops balance on their own counts, so no request writes state shared by loops.
    let outstanding = Atomic<Int>(0)
    /// Whether the backend takes traffic (active checks and passive ejection decide).
    let isUp = Atomic<Bool>(true)
    /// Monotonic nanoseconds when the backend last came back up; 0 when it needs no slow start.
    let upSince = Atomic<Int64>(0)
    /// Consecutive failed requests (connect errors, resets, timeouts) since the last success.
    let consecutiveFailures = Atomic<Int>(0)
    /// Set when a reload removed the backend.
    let retired = Atomic<Bool>(false)

    let connectionsOpened: Counter
    let ejectionsByCheck: Counter
    let ejectionsByRefusal: Counter
    let ejectionsByFailures: Counter
    let upGauge: Gauge
    let outstandingGauge: Gauge

    init(url: ProxyBackendURL, address: SocketAddress, metrics: ProxyMetrics) {
        self.url = url
        self.address = address
        self.label = url.description
        self.connectionsOpened = metrics.registry.makeCounter(
            descriptor: ProxyMetrics.name("backend_connections_opened", "total", "TCP connections opened to a backend"),
            labels: [("backend", label)])
        let ejections = ProxyMetrics.name("backend_ejections", "total", "Times a backend was taken out of rotation, by reason")
        self.ejectionsByCheck = metrics.registry.makeCounter(descriptor: ejections, labels: [("backend", label), ("reason", "health_check")])
        self.ejectionsByRefusal = metrics.registry.makeCounter(descriptor: ejections, labels: [("backend", label), ("reason", "connect_refused")])
        self.ejectionsByFailures = metrics.registry.makeCounter(descriptor: ejections, labels: [("backend", label), ("reason", "request_failures")])
        self.upGauge = metrics.registry.makeGauge(
            descriptor: ProxyMetrics.name("backend_up", "", "1 while the backend is in rotation, 0 while it is out"), labels: [("backend", label)])
        self.outstandingGauge = metrics.registry.makeGauge(
            descriptor: ProxyMetrics.name("backend_outstanding_requests", "", "Requests assigned to the backend"), labels: [("backend", label)])
    }

    /// Share of traffic (0.1...1) while the backend ramps up after coming back.
    @inline(__always)
    func weight(now: Int64, slowStart: Int64) -> Double {
        let since = upSince.load(ordering: .relaxed)
        guard since != 0, slowStart > 0 else { return 1 }
        let elapsed = now - since
        if elapsed >= slowStart {
            upSince.store(0, ordering: .relaxed)
            return 1
        }
        return max(0.1, Double(elapsed) / Double(slowStart))
    }

    enum EjectionReason { case healthCheck, connectRefused, requestFailures }

    /// Takes the backend out of rotation; returns false when it already was.
    @discardableResult
    func markDown(_ reason: EjectionReason) -> Bool {
        guard isUp.compareExchange(expected: true, desired: false, ordering: .relaxed).exchanged else { return false }
        switch reason {
        case .healthCheck: ejectionsByCheck.increment()
        case .connectRefused: ejectionsByRefusal.increment()
        case .requestFailures: ejectionsByFailures.increment()
        }
        return true
    }

    /// Puts the backend back into rotation (with slow start); returns false when it already was.
    @discardableResult
    func markUp(now: Int64) -> Bool {
        guard isUp.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return false }
        consecutiveFailures.store(0, ordering: .relaxed)
        upSince.store(max(now, 1), ordering: .relaxed)
        return true
    }

    /// Records a failed request; ejects the backend after `threshold` consecutive failures.
    func recordFailure(threshold: Int) -> Bool {
        let failures = consecutiveFailures.add(1, ordering: .relaxed).newValue
        return failures >= threshold && markDown(.requestFailures)
    }

    @inline(__always)
    func recordSuccess() {
        if consecutiveFailures.load(ordering: .relaxed) != 0 { consecutiveFailures.store(0, ordering: .relaxed) }
    }
}

/// Per event loop view of a backend: its idle keep-alive connections.
final class LoopBackend {
    let backend: Backend
    /// Position in the loop's backend list (bit index in an exchange's set of tried backends).
    var slot: Int
    var idle: [BackendConnectionHandler] = []
    var retired = false
    /// Requests this loop has assigned to the backend and not finished.
    var outstanding = 0
    private var publishedOutstanding = 0

    init(backend: Backend, slot: Int) {
        self.backend = backend
        self.slot = slot
    }

    /// Adds the change of this loop's count since the last call to the backend's shared count.
    func publishOutstanding() {
        let delta = outstanding - publishedOutstanding
        guard delta != 0 else { return }
        backend.outstanding.add(delta, ordering: .relaxed)
        publishedOutstanding = outstanding
    }

    /// True while the shared count still holds some of this loop's requests.
    var hasPublishedOutstanding: Bool { publishedOutstanding != 0 || outstanding != 0 }

    /// Takes the most recently used idle connection that is still open.
    func takeIdle() -> BackendConnectionHandler? {
        while let connection = idle.popLast() {
            if connection.isUsable { return connection }
        }
        return nil
    }
}
