import CoreMetrics
import Foundation
import GatewayCore
import Synchronization

/// A swift-metrics backend that keeps one aggregate per series (metric label + dimensions) for the
/// CloudWatch publisher. Memory is bounded: past `maximumSeries` distinct series, new series are not
/// kept (their values are dropped and counted), so a label explosion cannot grow the process.
public final class CloudWatchMetricsFactory: MetricsFactory, Sendable {
    struct SeriesKey: Hashable, Sendable {
        let name: String
        let dimensions: [String]
    }

    private struct State {
        var series: [SeriesKey: CloudWatchMetricSeries] = [:]
        var rejectedSeries = 0
    }

    /// Dimensions added to every series, e.g. `deployment` and `instance`.
    public let defaultDimensions: [(name: String, value: String)]
    /// The most distinct series kept.
    public let maximumSeries: Int
    private let state = Mutex(State())
    /// Handler for series past the limit: it records nothing.
    private let discard = CloudWatchMetricSeries(name: "", dimensions: [], kind: .counter, unit: nil, scale: 0)

    public init(defaultDimensions: [(name: String, value: String)] = [], maximumSeries: Int = 10_000) {
        self.defaultDimensions = defaultDimensions.filter { !$0.name.isEmpty && !$0.value.isEmpty }
        self.maximumSeries = max(1, maximumSeries)
    }

    /// Distinct series kept now.
    public var seriesCount: Int { state.withLock { $0.series.count } }
    /// Series refused because the limit was reached.
    public var rejectedSeriesCount: Int { state.withLock { $0.rejectedSeries } }

    private func series(
        _ label: String, _ dimensions: [(String, String)], kind: CloudWatchMetricSeries.Kind, unit: String?, scale: Double = 1
    ) -> CloudWatchMetricSeries {
        var merged = defaultDimensions
        for (name, value) in dimensions where !name.isEmpty && !value.isEmpty {
            merged.removeAll { $0.name == name }
            merged.append((name, value))
        }
        merged = Array(merged.prefix(CloudWatchClient.maxDimensions))
        let key = SeriesKey(name: label, dimensions: merged.flatMap { [$0.name, $0.value] })
        return state.withLock { state in
            if let existing = state.series[key] { return existing }
            guard state.series.count < maximumSeries else {
                state.rejectedSeries += 1
                return discard
            }
            let created = CloudWatchMetricSeries(name: label, dimensions: merged, kind: kind, unit: unit, scale: scale)
            state.series[key] = created
            return created
        }
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        series(label, dimensions, kind: .counter, unit: "Count")
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        series(label, dimensions, kind: .counter, unit: nil)
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        series(label, dimensions, kind: .gauge, unit: nil)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        series(label, dimensions, kind: aggregate ? .distribution : .gauge, unit: nil)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        series(label, dimensions, kind: .distribution, unit: "Seconds", scale: 1e-9)
    }

    private func remove(_ handler: AnyObject) {
        state.withLock { state in
            if let key = state.series.first(where: { $0.value === handler })?.key { state.series[key] = nil }
        }
    }

    public func destroyCounter(_ handler: any CounterHandler) { remove(handler) }
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { remove(handler) }
    public func destroyMeter(_ handler: any MeterHandler) { remove(handler) }
    public func destroyRecorder(_ handler: any RecorderHandler) { remove(handler) }
    public func destroyTimer(_ handler: any TimerHandler) { remove(handler) }

    /// Every series' datum for the interval that ends at `timestamp`, resetting the aggregates.
    public func drain(timestamp date: Date = Date()) -> [CloudWatchClient.MetricDatum] {
        let all = state.withLock { Array($0.series.values) }
        return all.compactMap { series in
            series.drain().map {
                CloudWatchClient.MetricDatum(name: series.name, dimensions: series.dimensions, timestamp: date, value: $0, unit: series.unit)
            }
        }
    }
}
