import Foundation
import GatewayCore
import Logging
import ServiceLifecycle
import Synchronization

/// Sends the aggregates of a `CloudWatchMetricsFactory` with `PutMetricData` every interval, in batches
/// within CloudWatch's limits. A failed batch is dropped and counted, never retried into a growing
/// backlog, so memory stays bounded and recording never waits. Runs as a service: on graceful shutdown it
/// publishes once more and stops.
public final class CloudWatchMetricsPublisher: Service, Sendable {
    /// Sends one batch; production passes `CloudWatchClient.putMetricData`.
    public typealias Sender = @Sendable (_ namespace: String, _ data: [CloudWatchClient.MetricDatum]) async throws -> Void

    /// Counters of what was published and what was lost.
    public struct Statistics: Sendable, Equatable, Codable {
        public var publications = 0
        public var batchesSent = 0
        public var batchesFailed = 0
        public var dataSent = 0
        public var dataDropped = 0
    }

    /// The most data sent in one `PutMetricData`.
    public static let maximumBatchSize = CloudWatchClient.maxDataPerRequest
    /// A batch is closed before its form-encoded size passes this (CloudWatch refuses requests over 1 MB;
    /// the rest is room for `Action`, `Version` and `Namespace`).
    public static let maximumBatchBytes = 900_000

    public let factory: CloudWatchMetricsFactory
    public let namespace: String
    public let interval: Duration
    private let send: Sender
    private let logger: Logger
    private let statistics = Mutex(Statistics())

    public init(
        factory: CloudWatchMetricsFactory, namespace: String, interval: Duration = .seconds(60),
        logger: Logger = Logger(label: "gateway.metrics.cloudwatch"), send: @escaping Sender
    ) {
        self.factory = factory
        self.namespace = namespace
        self.interval = interval
        self.logger = logger
        self.send = send
    }

    /// A publisher sending through `client`.
    public convenience init(
        factory: CloudWatchMetricsFactory, namespace: String, interval: Duration = .seconds(60), client: CloudWatchClient,
        logger: Logger = Logger(label: "gateway.metrics.cloudwatch")
    ) {
        self.init(factory: factory, namespace: namespace, interval: interval, logger: logger) { namespace, data in
            try await client.putMetricData(namespace: namespace, data: data)
        }
    }

    /// What happened so far.
    public var currentStatistics: Statistics { statistics.withLock { $0 } }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            } catch {
                break
            }
            await publish()
        }
        await publish()
    }

    /// Sends everything aggregated since the last publication.
    public func publish() async {
        let data = factory.drain(timestamp: Date())
        statistics.withLock { $0.publications += 1 }
        for batch in Self.batches(data) {
            do {
                try await send(namespace, batch)
                statistics.withLock {
                    $0.batchesSent += 1
                    $0.dataSent += batch.count
                }
            } catch {
                let dropped = statistics.withLock { stats -> Int in
                    stats.batchesFailed += 1
                    stats.dataDropped += batch.count
                    return stats.dataDropped
                }
                logger.warning(
                    "metrics batch dropped", metadata: ["data": "\(batch.count)", "dropped_total": "\(dropped)", "error": "\(error)"])
            }
        }
    }

    /// Splits `data` into batches within CloudWatch's count (1000) and request size (1 MB) limits.
    public static func batches(_ data: [CloudWatchClient.MetricDatum]) -> [[CloudWatchClient.MetricDatum]] {
        var batches: [[CloudWatchClient.MetricDatum]] = []
        var current: [CloudWatchClient.MetricDatum] = []
        var bytes = 0
        for datum in data {
            var size = datum.formEncodedSize(position: current.count + 1)
            if !current.isEmpty && (current.count == maximumBatchSize || bytes + size > maximumBatchBytes) {
                batches.append(current)
                current = []
                bytes = 0
                size = datum.formEncodedSize(position: 1)
            }
            current.append(datum)
            bytes += size
        }
        if !current.isEmpty { batches.append(current) }
        return batches
    }
}
