import Prometheus
import Synchronization

/// Latency observations by S3 operation class, counted by one event loop without locks or atomics.
/// The loop merges them into the shared ``LatencyHistogram`` at every tick.
struct LatencyCounts {
    /// Per operation class: one count per bucket bound plus one above the last bound.
    private(set) var buckets = [Int64](repeating: 0, count: S3OperationClass.allCases.count * LatencyHistogram.slotsPerOperation)
    private(set) var sums = [Int64](repeating: 0, count: S3OperationClass.allCases.count)
    private(set) var isEmpty = true

    @inline(__always)
    mutating func record(_ operation: S3OperationClass, nanoseconds: Int64) {
        let value = max(nanoseconds, 0)
        let bounds = LatencyHistogram.bounds
        var slot = 0
        while slot < bounds.count && value > bounds[slot] { slot += 1 }
        let index = Int(operation.rawValue)
        buckets[index * LatencyHistogram.slotsPerOperation + slot] &+= 1
        sums[index] &+= value
        isEmpty = false
    }

    /// Adds `other` to these counts.
    mutating func add(_ other: LatencyCounts) {
        for index in buckets.indices { buckets[index] &+= other.buckets[index] }
        for index in sums.indices { sums[index] &+= other.sums[index] }
        isEmpty = isEmpty && other.isEmpty
    }
}

/// A Prometheus histogram of latencies in seconds, labelled by S3 operation class. Event loops merge
/// their ``LatencyCounts`` into it; a scrape renders the totals in the Prometheus text format. This
/// keeps the hot path to a bucket search and two additions per observation.
final class LatencyHistogram: Sendable {
    /// Bucket upper bounds in nanoseconds: 0.5 ms to 5 minutes.
    static let bounds: [Int64] = [
        500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000,
        500_000_000, 1_000_000_000, 2_500_000_000, 5_000_000_000, 10_000_000_000, 30_000_000_000, 60_000_000_000,
        300_000_000_000,
    ]
    static let slotsPerOperation = bounds.count + 1
    private static let boundLabels: [String] = bounds.map { "\(Double($0) / 1e9)" }

    let name: String
    let help: String
    private let totals = Mutex(LatencyCounts())

    /// `name` is the full metric name, e.g. `gateway_proxy_request_duration_seconds`.
    init(name: String, help: String) {
        self.name = name
        self.help = help
    }

    /// A histogram named like the registry's metrics (namespace, subsystem, name and unit).
    convenience init(_ descriptor: MetricNameDescriptor) {
        self.init(name: descriptor.name, help: descriptor.helpText ?? "")
    }

    /// Adds a loop's counts and clears them.
    func merge(_ counts: inout LatencyCounts) {
        guard !counts.isEmpty else { return }
        let local = counts
        totals.withLock { $0.add(local) }
        counts = LatencyCounts()
    }

    /// Appends the histogram in the Prometheus text exposition format.
    func emit(into buffer: inout [UInt8]) {
        let snapshot = totals.withLock { $0 }
        var text = "# HELP \(name) \(help)\n# TYPE \(name) histogram\n"
        for operation in S3OperationClass.allCases {
            let base = Int(operation.rawValue) * Self.slotsPerOperation
            let label = "operation=\"\(operation.label)\""
            var cumulative: Int64 = 0
            for (slot, bound) in Self.boundLabels.enumerated() {
                cumulative += snapshot.buckets[base + slot]
                text += "\(name)_bucket{\(label),le=\"\(bound)\"} \(cumulative)\n"
            }
            cumulative += snapshot.buckets[base + Self.bounds.count]
            text += "\(name)_bucket{\(label),le=\"+Inf\"} \(cumulative)\n"
            text += "\(name)_sum{\(label)} \(Double(snapshot.sums[Int(operation.rawValue)]) / 1e9)\n"
            text += "\(name)_count{\(label)} \(cumulative)\n"
        }
        buffer.append(contentsOf: text.utf8)
    }
}
