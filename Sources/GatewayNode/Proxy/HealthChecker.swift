import Logging
import NIOCore
import NIOPosix

/// Settings of the active health checks (they can change on reload).
struct HealthCheckSettings: Sendable, Equatable {
    var path: String
    var interval: Int64
    var fastInterval: Int64
    var timeout: Int64
    var rise: Int
    var fall: Int

    init(_ configuration: ProxyConfiguration) {
        path = configuration.backendHealthPath
        interval = configuration.healthInterval.proxyNanoseconds
        fastInterval = min(configuration.fastHealthInterval.proxyNanoseconds, configuration.healthInterval.proxyNanoseconds)
        timeout = configuration.healthTimeout.proxyNanoseconds
        rise = configuration.rise
        fall = configuration.fall
    }
}

/// Active health checks: a `GET` of each backend's health path at an interval (faster while a
/// backend is down or changing state). `fall` failures in a row take a backend out, `rise`
/// successes bring it back (with slow start). Lives on one event loop.
final class HealthChecker {
    private struct CheckState {
        var successes = 0
        var failures = 0
        var generation = 0
        var scheduled: Scheduled<Void>?
    }

    private let eventLoop: any EventLoop
    private let logger: Logger
    private var settings: HealthCheckSettings
    private var states: [ObjectIdentifier: CheckState] = [:]
    private var generation = 0
    private var stopped = false

    init(eventLoop: any EventLoop, settings: HealthCheckSettings, logger: Logger) {
        self.eventLoop = eventLoop
        self.settings = settings
        self.logger = logger
    }

    /// Starts checking `backends` (new ones at once) and stops checking the others.
    func update(backends: [Backend], settings newSettings: HealthCheckSettings) {
        guard !stopped else { return }
        settings = newSettings
        let keep = Set(backends.map { ObjectIdentifier($0) })
        for (id, state) in states where !keep.contains(id) {
            state.scheduled?.cancel()
            states[id] = nil
        }
        for backend in backends where states[ObjectIdentifier(backend)] == nil {
            generation += 1
            states[ObjectIdentifier(backend)] = CheckState(generation: generation)
            schedule(backend, after: 0)
        }
    }

    func stop() {
        stopped = true
        for state in states.values { state.scheduled?.cancel() }
        states = [:]
    }

    private func schedule(_ backend: Backend, after delay: Int64) {
        let id = ObjectIdentifier(backend)
        guard let generation = states[id]?.generation else { return }
        let jitter = delay > 0 ? Int64.random(in: 0...(delay / 10)) : 0
        let task = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(delay + jitter)) { [self] in
            guard !stopped, states[id]?.generation == generation else { return }
            check(backend, generation: generation)
        }
        states[id]?.scheduled = task
    }

    private func check(_ backend: Backend, generation: Int) {
        let promise = eventLoop.makePromise(of: Int.self)
        var request = ByteBuffer()
        request.writeString("GET \(settings.path) HTTP/1.1\r\nHost: \(Self.hostHeader(backend.url))\r\n")
        request.writeString("User-Agent: gateway-proxy-health-check\r\nAccept: */*\r\nConnection: close\r\n\r\n")
        let timeout = settings.timeout
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(timeout))
            .channelInitializer { [request] channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HealthProbeHandler(request: request, promise: promise))
                }
            }
        let deadline = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(timeout)) {
            promise.fail(HealthCheckFailure.timeout)
        }
        let connect = bootstrap.connect(to: backend.address)
        connect.assumeIsolated().whenFailure { error in promise.fail(error) }
        promise.futureResult.assumeIsolated().whenComplete { [self] result in
            deadline.cancel()
            connect.assumeIsolated().whenSuccess { channel in channel.close(promise: nil) }
            guard !stopped, states[ObjectIdentifier(backend)]?.generation == generation else { return }
            switch result {
            case .success(let status) where (200..<300).contains(status):
                record(backend, ok: true, detail: "status \(status)")
            case .success(let status):
                record(backend, ok: false, detail: "status \(status)")
            case .failure(let error):
                record(backend, ok: false, detail: "\(error)")
            }
        }
    }

    private func record(_ backend: Backend, ok: Bool, detail: String) {
        let id = ObjectIdentifier(backend)
        guard var state = states[id] else { return }
        let wasUp = backend.isUp.load(ordering: .relaxed)
        if ok {
            state.failures = 0
            if !wasUp {
                state.successes += 1
                if state.successes >= settings.rise {
                    state.successes = 0
                    if backend.markUp(now: MonotonicClock.nanoseconds()) {
                        logger.info("backend is healthy again; back in rotation (slow start)", metadata: ["backend": "\(backend.label)"])
                    }
                }
            }
        } else {
            state.successes = 0
            if wasUp {
                state.failures += 1
                if state.failures >= settings.fall {
                    state.failures = 0
                    if backend.markDown(.healthCheck) {
                        logger.warning(
                            "backend failed its health checks; taken out of rotation",
                            metadata: ["backend": "\(backend.label)", "check": "\(detail)"])
                    }
                }
            }
        }
        states[id] = state
        let steady = backend.isUp.load(ordering: .relaxed) && state.failures == 0
        schedule(backend, after: steady ? settings.interval : settings.fastInterval)
    }

    static func hostHeader(_ url: ProxyBackendURL) -> String {
        url.host.contains(":") ? "[\(url.host)]:\(url.port)" : "\(url.host):\(url.port)"
    }
}

enum HealthCheckFailure: Error, CustomStringConvertible {
    case timeout, closedEarly, badResponse

    var description: String {
        switch self {
        case .timeout: "timed out"
        case .closedEarly: "connection closed before a status line"
        case .badResponse: "invalid status line"
        }
    }
}

/// Sends one health request and reports the response status.
final class HealthProbeHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let request: ByteBuffer
    private let promise: EventLoopPromise<Int>
    private var received = ByteBuffer()

    init(request: ByteBuffer, promise: EventLoopPromise<Int>) {
        self.request = request
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        received.writeBuffer(&buffer)
        guard received.readableBytes >= 12 else { return }
        let status: Int? = received.withUnsafeReadableBytes { bytes in
            guard HTTPHeadParser.equals(bytes, 0..<5, "HTTP/"), bytes[8] == 0x20 else { return nil }
            var value = 0
            for index in 9..<12 {
                guard bytes[index] >= 0x30 && bytes[index] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
            }
            return value
        }
        if let status {
            promise.succeed(status)
        } else {
            promise.fail(HealthCheckFailure.badResponse)
        }
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(HealthCheckFailure.closedEarly)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
