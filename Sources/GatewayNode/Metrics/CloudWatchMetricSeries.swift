import CoreMetrics
import GatewayCore
import Synchronization

/// One metric series (name + dimensions) and its aggregate since the last publication. It is the
/// swift-metrics handler itself: recording touches only this series' own small lock, so recording never
/// waits for the publisher's network calls.
final class CloudWatchMetricSeries: CounterHandler, FloatingPointCounterHandler, RecorderHandler, MeterHandler,
    TimerHandler, Sendable
{
    enum Kind: Sendable {
        /// Sum of increments since the last publication.
        case counter
        /// The last value set, published at every interval once set.
        case gauge
        /// Count, sum, minimum and maximum of the values since the last publication.
        case distribution
    }

    private struct Aggregate {
        var sum: Double = 0
        var count: Double = 0
        var minimum: Double = .infinity
        var maximum: Double = -.infinity
        var last: Double?
    }

    let name: String
    let dimensions: [(name: String, value: String)]
    let kind: Kind
    let unit: String?
    /// Values are multiplied by this before they are kept (nanoseconds to seconds for timers).
    private let scale: Double
    private let aggregate = Mutex(Aggregate())

    init(name: String, dimensions: [(name: String, value: String)], kind: Kind, unit: String?, scale: Double = 1) {
        self.name = name
        self.dimensions = dimensions
        self.kind = kind
        self.unit = unit
        self.scale = scale
    }

    private func add(_ raw: Double) {
        let value = raw * scale
        guard value.isFinite else { return }
        aggregate.withLock { state in
            switch kind {
            case .counter:
                state.sum += value
            case .gauge:
                state.last = value
            case .distribution:
                state.sum += value
                state.count += 1
                state.minimum = min(state.minimum, value)
                state.maximum = max(state.maximum, value)
            }
        }
    }

    func increment(by amount: Int64) { add(Double(amount)) }
    func increment(by amount: Double) {
        if kind == .gauge {
            aggregate.withLock { $0.last = ($0.last ?? 0) + amount * scale }
        } else {
            add(amount)
        }
    }
    func decrement(by amount: Double) { aggregate.withLock { $0.last = ($0.last ?? 0) - amount * scale } }
    func reset() { aggregate.withLock { $0 = Aggregate() } }
    func record(_ value: Int64) { add(Double(value)) }
    func record(_ value: Double) { add(value) }
    func set(_ value: Int64) { add(Double(value)) }
    func set(_ value: Double) { add(value) }
    func recordNanoseconds(_ duration: Int64) { add(Double(duration)) }

    /// The value accumulated since the last call, as a CloudWatch datum (nil when there is nothing to say),
    /// and a fresh aggregate for the next interval.
    func drain() -> CloudWatchClient.MetricDatum.Value? {
        aggregate.withLock { state in
            switch kind {
            case .counter:
                defer { state.sum = 0 }
                return state.sum == 0 ? nil : .single(state.sum)
            case .gauge:
                return state.last.map { .single($0) }
            case .distribution:
                defer { state = Aggregate() }
                guard state.count > 0 else { return nil }
                return .statistics(.init(sampleCount: state.count, sum: state.sum, minimum: state.minimum, maximum: state.maximum))
            }
        }
    }
}
