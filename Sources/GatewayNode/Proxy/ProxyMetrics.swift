import Prometheus

/// S3 operation classes used as metric labels and to pick the response timeout.
enum S3OperationClass: UInt8, CaseIterable {
    case list, get, head, put, copy, multipart, delete, post, options, other

    var label: String {
        switch self {
        case .list: "list"
        case .get: "get"
        case .head: "head"
        case .put: "put"
        case .copy: "copy"
        case .multipart: "multipart"
        case .delete: "delete"
        case .post: "post"
        case .options: "options"
        case .other: "other"
        }
    }
}

/// Why an exchange ended, for metrics and the access log.
enum ExchangeOutcome: UInt8, CaseIterable {
    case ok, clientAbort, backendAbort, backendTimeout, noBackend, badRequest, local

    var label: String {
        switch self {
        case .ok: "ok"
        case .clientAbort: "client_abort"
        case .backendAbort: "backend_abort"
        case .backendTimeout: "backend_timeout"
        case .noBackend: "no_backend"
        case .badRequest: "bad_request"
        case .local: "local"
        }
    }
}

/// Why a request was sent again.
enum RetryReason: UInt8, CaseIterable {
    case connectFailure, closedBeforeResponse

    var label: String {
        switch self {
        case .connectFailure: "connect_failure"
        case .closedBeforeResponse: "closed_before_response"
        }
    }
}

/// The proxy's Prometheus metrics. Counters are created once; labelled request counters are cached
/// per event loop (see ``LoopContext``), so the hot path does no registry look-ups.
final class ProxyMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    let receivedBytes: Counter
    let sentBytes: Counter
    let durations: LatencyHistogram
    let firstByte: LatencyHistogram
    let retries: [Counter]
    let outcomes: [Counter]
    let inFlight: Gauge
    let clientConnections: Gauge
    let acceptedConnections: Counter
    let rejectedConnections: Counter
    let accessLogDropped: Counter

    static let statusClasses = ["1xx", "2xx", "3xx", "4xx", "5xx"]

    /// `gateway_proxy_<name>_<unit>` with help text.
    static func name(_ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "gateway", subsystem: "proxy", metricName: name, unitName: unit, helpText: help)
    }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        receivedBytes = registry.makeCounter(descriptor: Self.name("received_bytes", "total", "Bytes received from clients (heads and bodies)"))
        sentBytes = registry.makeCounter(descriptor: Self.name("sent_bytes", "total", "Bytes sent to clients (heads and bodies)"))
        durations = LatencyHistogram(Self.name("request_duration", "seconds", "Time from the request head to the last response byte"))
        firstByte = LatencyHistogram(Self.name("response_first_byte", "seconds", "Time from the request head to the backend's response head"))
        let retriesName = Self.name("retries", "total", "Requests sent again to another backend, by reason")
        retries = RetryReason.allCases.map { registry.makeCounter(descriptor: retriesName, labels: [("reason", $0.label)]) }
        let outcomesName = Self.name("outcomes", "total", "How requests ended")
        outcomes = ExchangeOutcome.allCases.map { registry.makeCounter(descriptor: outcomesName, labels: [("outcome", $0.label)]) }
        inFlight = registry.makeGauge(descriptor: Self.name("in_flight_requests", "", "Requests being served"))
        clientConnections = registry.makeGauge(descriptor: Self.name("client_connections", "", "Open client connections"))
        acceptedConnections = registry.makeCounter(descriptor: Self.name("accepted_connections", "total", "Client connections accepted"))
        rejectedConnections = registry.makeCounter(
            descriptor: Self.name("rejected_connections", "total", "Client connections closed at once because max-connections was reached"))
        accessLogDropped = registry.makeCounter(
            descriptor: Self.name("access_log_dropped_lines", "total", "Access log lines dropped because the writer fell behind"))
    }

    private static var requestsName: MetricNameDescriptor { name("requests", "total", "Requests by method, S3 operation class and status class") }

    func requestCounter(method: RequestMethod, operation: S3OperationClass, statusClass: Int) -> Counter {
        registry.makeCounter(
            descriptor: Self.requestsName,
            labels: [("method", method.label), ("operation", operation.label), ("status_class", Self.statusClasses[statusClass])])
    }

    static func counterSlot(method: RequestMethod, operation: S3OperationClass, statusClass: Int) -> Int {
        (Int(method.rawValue) * S3OperationClass.allCases.count + Int(operation.rawValue)) * 5 + statusClass
    }

    static let counterSlots = RequestMethod.allCases.count * S3OperationClass.allCases.count * 5
}
