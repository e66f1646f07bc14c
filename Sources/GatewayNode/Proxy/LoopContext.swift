import GatewayCore
import NIOCore
import Prometheus

/// Everything one event loop owns: its view of the backends with their idle connections, the client
/// connections it serves (for timeouts and shutdown), its random source and its metric and access-log
/// accumulators. Only ever touched on its own loop, so the hot path takes no locks.
final class LoopContext {
    let eventLoop: any EventLoop
    let runtime: ProxyRuntime
    let settings: ProxyRuntimeSettings
    let allocator = ByteBufferAllocator()

    private(set) var backends: [LoopBackend] = []
    /// Backends a reload removed while this loop still had requests on them (their counts still publish).
    private var retiredBackends: [LoopBackend] = []
    private var clients: [ClientConnectionHandler] = []
    /// Monotonic nanoseconds, refreshed at every tick (deadlines need no better precision).
    private(set) var now: Int64
    private var random: UInt64
    private var roundRobin = 0
    private(set) var shuttingDown = false

    private var requestCounts: [Int64]
    private var requestCounters: [Counter?]
    private var receivedBytes: Int64 = 0
    private var sentBytes: Int64 = 0
    private var outcomeCounts = [Int64](repeating: 0, count: ExchangeOutcome.allCases.count)
    private var retryCounts = [Int64](repeating: 0, count: RetryReason.allCases.count)
    private var durationCounts = LatencyCounts()
    private var firstByteCounts = LatencyCounts()
    private var accessLog: [UInt8] = []
    private var requestIDCounter: UInt64 = 0

    init(eventLoop: any EventLoop, runtime: ProxyRuntime) {
        self.eventLoop = eventLoop
        self.runtime = runtime
        self.settings = runtime.settings
        self.now = MonotonicClock.nanoseconds()
        var seed = UInt64(truncatingIfNeeded: now) ^ UInt64(UInt(bitPattern: ObjectIdentifier(eventLoop).hashValue))
        seed = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed
        self.random = seed
        self.requestCounts = [Int64](repeating: 0, count: ProxyMetrics.counterSlots)
        self.requestCounters = [Counter?](repeating: nil, count: ProxyMetrics.counterSlots)
    }

    // MARK: backends

    /// Installs a new backend list, keeping the idle connections of backends that stay.
    func setBackends(_ list: [Backend]) {
        var kept: [LoopBackend] = []
        for (slot, backend) in list.enumerated() {
            if let existing = backends.first(where: { $0.backend === backend }) {
                existing.slot = slot
                kept.append(existing)
            } else {
                kept.append(LoopBackend(backend: backend, slot: slot))
            }
        }
        for old in backends where !list.contains(where: { $0 === old.backend }) {
            old.retired = true
            retiredBackends.append(old)
            for connection in old.idle { connection.close() }
            old.idle = []
        }
        backends = kept
    }

    @inline(__always)
    func nextRandom() -> UInt64 {
        // xorshift64*
        random ^= random >> 12
        random ^= random << 25
        random ^= random >> 27
        return random &* 0x2545_F491_4F6C_DD1D
    }

    /// Picks a backend for a request. Healthy backends not yet tried come first; when none is left,
    /// every untried backend is a candidate ("panic" mode), so a fleet that is wrongly marked down
    /// still gets traffic. Returns nil when every backend was tried.
    func select(excluding tried: UInt64) -> LoopBackend? {
        let count = backends.count
        guard count > 0 else { return nil }
        var eligible: UInt64 = 0
        for index in 0..<count where tried & (1 << UInt64(index)) == 0 && backends[index].backend.isUp.load(ordering: .relaxed) {
            eligible |= 1 << UInt64(index)
        }
        if eligible == 0 {
            for index in 0..<count where tried & (1 << UInt64(index)) == 0 { eligible |= 1 << UInt64(index) }
        }
        let candidates = eligible.nonzeroBitCount
        guard candidates > 0 else { return nil }
        if candidates == 1 { return backends[eligible.trailingZeroBitCount] }
        switch settings.policy {
        case .powerOfTwoChoices:
            let first = Int(nextRandom() % UInt64(candidates))
            var second = Int(nextRandom() % UInt64(candidates - 1))
            if second >= first { second += 1 }
            let a = backends[Self.nthSetBit(eligible, first)]
            let b = backends[Self.nthSetBit(eligible, second)]
            return load(a) <= load(b) ? a : b
        case .roundRobin:
            for _ in 0..<count {
                let index = roundRobin % count
                roundRobin &+= 1
                guard eligible & (1 << UInt64(index)) != 0 else { continue }
                let weight = backends[index].backend.weight(now: now, slowStart: settings.slowStart)
                if weight < 1, Double(nextRandom() % 1000) / 1000 > weight { continue }
                return backends[index]
            }
            return backends[eligible.trailingZeroBitCount]
        }
    }

    @inline(__always)
    private func load(_ candidate: LoopBackend) -> Double {
        let outstanding = Double(candidate.outstanding + 1)
        return outstanding / candidate.backend.weight(now: now, slowStart: settings.slowStart)
    }

    private static func nthSetBit(_ mask: UInt64, _ n: Int) -> Int {
        var mask = mask
        for _ in 0..<n { mask &= mask - 1 }
        return mask.trailingZeroBitCount
    }

    /// Returns a backend connection to its pool, or closes it when it cannot be reused.
    func release(_ connection: BackendConnectionHandler, to loopBackend: LoopBackend) {
        if !loopBackend.retired && !shuttingDown && connection.isUsable
            && loopBackend.idle.count < settings.maxIdleConnectionsPerBackend
        {
            connection.idleSince = now
            loopBackend.idle.append(connection)
        } else {
            connection.close()
        }
    }

    // MARK: flushes at the end of the I/O batch

    private var pendingFlushes: [ChannelHandlerContext] = []
    private var flushing: [ChannelHandlerContext] = []
    private var flushTaskScheduled = false

    /// Flushes `context` once the event loop has handled every I/O event of its current batch. Writes of
    /// one batch then go out together at its end: the backends and clients they wake do not preempt
    /// the loop in the middle of the batch, as they would after every single write.
    @inline(__always)
    func flushAfterBatch(_ context: ChannelHandlerContext?) {
        guard let context else { return }
        pendingFlushes.append(context)
        if !flushTaskScheduled {
            flushTaskScheduled = true
            eventLoop.assumeIsolatedUnsafeUnchecked().execute { self.flushPending() }
        }
    }

    private func flushPending() {
        flushTaskScheduled = false
        swap(&pendingFlushes, &flushing)
        for context in flushing { context.flush() }
        flushing.removeAll(keepingCapacity: true)
    }

    // MARK: clients

    func register(_ client: ClientConnectionHandler) {
        client.registryIndex = clients.count
        clients.append(client)
    }

    func unregister(_ client: ClientConnectionHandler) {
        let index = client.registryIndex
        guard index >= 0, index < clients.count, clients[index] === client else { return }
        let last = clients.removeLast()
        if index < clients.count {
            clients[index] = last
            last.registryIndex = index
        }
        client.registryIndex = -1
    }

    var clientCount: Int { clients.count }

    /// Stops reuse of connections and asks every client connection to close after its current response.
    func beginShutdown() {
        shuttingDown = true
        for backend in backends {
            for connection in backend.idle { connection.close() }
            backend.idle = []
        }
        for client in clients { client.shutdownRequested() }
    }

    /// Closes every client connection at once (the grace period is over).
    func closeAll() {
        for client in clients { client.forceClose() }
    }

    // MARK: timer

    /// Runs every tick: expires deadlines, prunes idle backend connections, publishes metrics.
    func tick() {
        now = MonotonicClock.nanoseconds()
        var expired: [ClientConnectionHandler] = []
        for client in clients where client.deadline <= now { expired.append(client) }
        for client in expired { client.deadlineExpired() }
        for backend in backends where !backend.idle.isEmpty {
            let limit = now - settings.backendIdleTimeout
            if backend.idle.contains(where: { !$0.isUsable || $0.idleSince < limit }) {
                backend.idle.removeAll { connection in
                    if connection.isUsable && connection.idleSince >= limit { return false }
                    connection.close()
                    return true
                }
            }
        }
        publishMetrics()
        flushAccessLog()
    }

    func refreshNow() -> Int64 {
        now = MonotonicClock.nanoseconds()
        return now
    }

    // MARK: metrics and access log

    @inline(__always)
    func countRequest(method: RequestMethod, operation: S3OperationClass, status: Int, outcome: ExchangeOutcome, received: Int64, sent: Int64) {
        let statusClass = min(max(status / 100, 1), 5) - 1
        requestCounts[ProxyMetrics.counterSlot(method: method, operation: operation, statusClass: statusClass)] += 1
        outcomeCounts[Int(outcome.rawValue)] += 1
        receivedBytes += received
        sentBytes += sent
    }

    @inline(__always)
    func recordLatency(_ operation: S3OperationClass, total: Int64, firstByte: Int64?) {
        durationCounts.record(operation, nanoseconds: total)
        if let firstByte { firstByteCounts.record(operation, nanoseconds: firstByte) }
    }

    @inline(__always)
    func countRetry(_ reason: RetryReason) { retryCounts[Int(reason.rawValue)] += 1 }

    func publishMetrics() {
        for backend in backends { backend.publishOutstanding() }
        if !retiredBackends.isEmpty {
            for backend in retiredBackends { backend.publishOutstanding() }
            retiredBackends.removeAll { !$0.hasPublishedOutstanding }
        }
        let metrics = runtime.metrics
        metrics.durations.merge(&durationCounts)
        metrics.firstByte.merge(&firstByteCounts)
        if receivedBytes > 0 {
            metrics.receivedBytes.increment(by: receivedBytes)
            receivedBytes = 0
        }
        if sentBytes > 0 {
            metrics.sentBytes.increment(by: sentBytes)
            sentBytes = 0
        }
        for index in outcomeCounts.indices where outcomeCounts[index] > 0 {
            metrics.outcomes[index].increment(by: outcomeCounts[index])
            outcomeCounts[index] = 0
        }
        for index in retryCounts.indices where retryCounts[index] > 0 {
            metrics.retries[index].increment(by: retryCounts[index])
            retryCounts[index] = 0
        }
        for slot in requestCounts.indices where requestCounts[slot] > 0 {
            let counter: Counter
            if let existing = requestCounters[slot] {
                counter = existing
            } else {
                let statusClass = slot % 5
                let operation = S3OperationClass(rawValue: UInt8((slot / 5) % S3OperationClass.allCases.count))!
                let method = RequestMethod(rawValue: UInt8(slot / 5 / S3OperationClass.allCases.count))!
                counter = metrics.requestCounter(method: method, operation: operation, statusClass: statusClass)
                requestCounters[slot] = counter
            }
            counter.increment(by: requestCounts[slot])
            requestCounts[slot] = 0
        }
    }

    func appendAccessLog(_ build: (inout [UInt8]) -> Void) {
        build(&accessLog)
        if accessLog.count >= 64 * 1024 { flushAccessLog() }
    }

    func flushAccessLog() {
        guard !accessLog.isEmpty, let sink = runtime.accessLog else { return }
        sink.enqueue(accessLog)
        accessLog.removeAll(keepingCapacity: true)
    }

    /// A request id for responses the proxy makes itself.
    func makeRequestID() -> String {
        requestIDCounter &+= 1
        let value = nextRandom() ^ requestIDCounter
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// Monotonic time in nanoseconds.
enum MonotonicClock {
    @inline(__always)
    static func nanoseconds() -> Int64 { Int64(truncatingIfNeeded: NIODeadline.now().uptimeNanoseconds) }
}
