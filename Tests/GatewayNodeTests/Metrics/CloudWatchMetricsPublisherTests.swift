import CoreMetrics
import Foundation
import GatewayCore
import Synchronization
import Testing

@testable import GatewayNode

/// The CloudWatch metrics backend: aggregation, the series bound, publication in batches to moto
/// (signature checking on), dropping on failure, and recording that never waits for the network.
@Suite("CloudWatch metrics publisher")
struct CloudWatchMetricsPublisherTests {
    static let defaults = [("deployment", "gw-test"), ("instance", "i-0123")]

    @Test("counters, gauges, recorders and timers aggregate per series with the default dimensions")
    func aggregation() throws {
        let factory = CloudWatchMetricsFactory(defaultDimensions: Self.defaults)
        let requests = Counter(label: "requests", dimensions: [("backend", "7070")], factory: factory)
        requests.increment()
        Counter(label: "requests", dimensions: [("backend", "7070")], factory: factory).increment(by: 4)
        Counter(label: "requests", dimensions: [("backend", "7071")], factory: factory).increment(by: 2)
        let latency = CoreMetrics.Timer(label: "latency", dimensions: [("backend", "7070")], factory: factory)
        latency.recordNanoseconds(250_000_000)
        latency.recordNanoseconds(750_000_000)
        Gauge(label: "healthy_backends", factory: factory).record(3)
        Gauge(label: "healthy_backends", factory: factory).record(2)
        Recorder(label: "body_bytes", dimensions: [("backend", ""), ("", "x")], factory: factory).record(1024)
        Meter(label: "in_flight", factory: factory).set(7)
        #expect(factory.seriesCount == 6)

        let data = factory.drain(timestamp: Date(timeIntervalSince1970: 1_700_000_000))
        func datum(_ name: String, _ backend: String? = nil) -> CloudWatchClient.MetricDatum? {
            data.first { $0.name == name && $0.dimensions.first { $0.name == "backend" }?.value == backend }
        }
        #expect(datum("requests", "7070")?.value == .single(5))
        #expect(datum("requests", "7070")?.unit == "Count")
        #expect(datum("requests", "7071")?.value == .single(2))
        #expect(datum("latency", "7070")?.value == .statistics(.init(sampleCount: 2, sum: 1, minimum: 0.25, maximum: 0.75)))
        #expect(datum("latency", "7070")?.unit == "Seconds")
        #expect(datum("healthy_backends")?.value == .single(2))
        #expect(datum("body_bytes")?.value == .statistics(.init(sampleCount: 1, sum: 1024, minimum: 1024, maximum: 1024)))
        #expect(datum("body_bytes")?.dimensions.map(\.name) == ["deployment", "instance"])
        #expect(datum("in_flight")?.value == .single(7))
        #expect(data.allSatisfy { $0.timestamp == Date(timeIntervalSince1970: 1_700_000_000) })
        #expect(datum("requests", "7070")?.dimensions.map(\.name) == ["deployment", "instance", "backend"])

        // Next interval: counters and distributions start over, gauges keep their last value.
        requests.increment(by: 3)
        let next = factory.drain()
        #expect(next.first { $0.name == "requests" }?.value == .single(3))
        #expect(!next.contains { $0.name == "latency" })
        #expect(next.first { $0.name == "healthy_backends" }?.value == .single(2))
    }

    @Test("past the series limit new series are refused and counted; memory does not grow")
    func seriesBound() {
        let factory = CloudWatchMetricsFactory(maximumSeries: 100)
        for index in 0..<150 {
            Counter(label: "per_bucket", dimensions: [("bucket", "b\(index)")], factory: factory).increment()
        }
        #expect(factory.seriesCount == 100 && factory.rejectedSeriesCount == 50)
        #expect(factory.drain().count == 100)
        let batches = CloudWatchMetricsPublisher.batches(
            (0..<2500).map { CloudWatchClient.MetricDatum(name: "m\($0)", dimensions: Self.defaults, value: .single(1)) })
        #expect(batches.map(\.count) == [1000, 1000, 500])
        let wide = (0..<1000).map {
            CloudWatchClient.MetricDatum(
                name: String(repeating: "n", count: 200) + "\($0)",
                dimensions: (0..<30).map { ("d\($0)", String(repeating: "v", count: 40)) }, value: .single(1))
        }
        let byBytes = CloudWatchMetricsPublisher.batches(wide)
        #expect(
            byBytes.count > 1
                && byBytes.allSatisfy { batch in
                    batch.enumerated().map { $1.formEncodedSize(position: $0 + 1) }.reduce(0, +) <= CloudWatchMetricsPublisher.maximumBatchBytes
                })
    }

    @Test("publishes every series to CloudWatch (moto) in batches; a failing send drops and counts")
    func publishToMoto() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        let factory = CloudWatchMetricsFactory(defaultDimensions: Self.defaults)
        for index in 0..<1100 {
            Counter(label: "requests", dimensions: [("backend", "\(7000 + index)")], factory: factory).increment(by: 2)
        }
        let latency = CoreMetrics.Timer(label: "latency", dimensions: [("backend", "7000")], factory: factory)
        for milliseconds in [10, 20, 30] { latency.recordMilliseconds(milliseconds) }
        let client = try CloudWatchClient(configuration: moto.configuration())
        let publisher = CloudWatchMetricsPublisher(factory: factory, namespace: "Gateway/Test", client: client)
        await publisher.publish()
        var stats = publisher.currentStatistics
        #expect(stats.batchesSent == 2 && stats.dataSent == 1101 && stats.batchesFailed == 0)

        let python = try await AWSTestTools.python(requiring: "boto3")
        let read = try await AWSTestTools.offPool {
            try AWSTestTools.run(
                python,
                [
                    AWSTestTools.fixture("cloudwatch_statistics.py"), moto.server.url, moto.region, "Gateway/Test", "latency",
                    #"[["deployment","gw-test"],["instance","i-0123"],["backend","7000"]]"#,
                ],
                environment: ["AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": moto.secretKey, "PATH": "/usr/bin:/bin"])
        }
        try #require(read.status == 0, "\(read.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: read.stdout) as? [String: Any])
        let point = try #require((answer["datapoints"] as? [[String: Any]])?.first)
        #expect(point["SampleCount"] as? Double == 3)
        #expect(abs((point["Sum"] as? Double ?? 0) - 0.06) < 1e-9)
        #expect(point["Maximum"] as? Double == 0.03 && point["Unit"] as? String == "Seconds")
        #expect(answer["metrics"] as? Int == 1101)

        let failing = CloudWatchMetricsPublisher(
            factory: factory, namespace: "Gateway/Test", client: try CloudWatchClient(configuration: moto.configuration(secret: "wrong")))
        Counter(label: "requests", dimensions: [("backend", "7000")], factory: factory).increment()
        await failing.publish()
        stats = failing.currentStatistics
        #expect(stats.batchesFailed == 1 && stats.dataDropped == 1 && stats.batchesSent == 0)
        await failing.publish()
        #expect(failing.currentStatistics.dataDropped == 1)  // dropped data is not kept for later
    }

    @Test("recording goes on while a publication waits on the network; the service publishes on its interval")
    func neverBlocks() async throws {
        let factory = CloudWatchMetricsFactory()
        let gate = AsyncGate()
        let stalled = CloudWatchMetricsPublisher(factory: factory, namespace: "Gateway/Test") { _, _ in await gate.wait() }
        let counter = Counter(label: "requests", factory: factory)
        counter.increment()
        let publication = Task { await stalled.publish() }
        await gate.waitUntilEntered()
        for _ in 0..<10_000 { counter.increment() }  // finishes while the send is still stuck
        #expect(stalled.currentStatistics.batchesSent == 0)
        await gate.open()
        await publication.value
        #expect(stalled.currentStatistics.dataSent == 1)
        #expect(factory.drain().first?.value == .single(10_000))

        let sent = SentLog()
        let service = CloudWatchMetricsPublisher(factory: factory, namespace: "Gateway/Test", interval: .milliseconds(50)) { _, data in
            sent.add(data.count)
        }
        let running = Task { try await service.run() }
        counter.increment()
        let deadline = ContinuousClock.now + .seconds(90)
        while service.currentStatistics.publications < 3, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        counter.increment()
        running.cancel()
        try await running.value
        #expect(service.currentStatistics.publications >= 3)
        #expect(sent.total == 2)  // the increment made just before the stop went out with the last publication
    }
}

/// Holds a sender until opened.
actor AsyncGate {
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var entered: [CheckedContinuation<Void, Never>] = []
    private var isOpen = false
    private var hasEntered = false

    func wait() async {
        hasEntered = true
        for continuation in entered { continuation.resume() }
        entered.removeAll()
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func waitUntilEntered() async {
        if hasEntered { return }
        await withCheckedContinuation { entered.append($0) }
    }

    func open() {
        isOpen = true
        for continuation in waiters { continuation.resume() }
        waiters.removeAll()
    }
}

final class SentLog: Sendable {
    private let count = Mutex(0)
    func add(_ value: Int) { count.withLock { $0 += value } }
    var total: Int { count.withLock { $0 } }
}
