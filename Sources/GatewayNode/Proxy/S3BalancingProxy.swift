import Dispatch
import Logging
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Why the proxy could not start.
public enum ProxyStartupError: Error, Sendable, CustomStringConvertible {
    /// A setting is invalid.
    case invalidConfiguration(ProxyConfigurationError)
    /// A listen address cannot be bound (in use, not local, no permission).
    case cannotListen(setting: String, address: String, reason: String)
    /// A backend host name does not resolve.
    case unresolvableBackend(String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let error): error.description
        case .cannotListen(let setting, let address, let reason): "\(setting): cannot listen on \(address): \(reason)"
        case .unresolvableBackend(let backend, let reason): "backend: cannot resolve \(backend): \(reason)"
        }
    }
}

/// The S3 balancing proxy as a swift-service-lifecycle `Service`.
///
/// `run()` binds the S3 listener (and the metrics listener, if configured), balances requests over
/// the backends and health-checks them. On graceful shutdown (SIGTERM in a `ServiceGroup`) it reports
/// unhealthy on its health endpoint for the drain period while still serving, then stops accepting,
/// lets in-flight requests finish within the grace period and returns. On SIGHUP it reopens the
/// access log file and, when `reloadConfiguration` is given, applies the new backend list and
/// health-check settings without losing the health state of backends that stay.
public final class S3BalancingProxy: Service, Sendable {
    private struct Running: Sendable {
        var group: MultiThreadedEventLoopGroup
        var runtime: ProxyRuntime
        var contexts: [NIOLoopBound<LoopContext>]
        var checker: NIOLoopBound<HealthChecker>
        var server: any Channel
        var metricsServer: (any Channel)?
        var ticks: [RepeatedTask]
        var configuration: ProxyConfiguration
    }

    private let configuration: ProxyConfiguration
    private let logger: Logger
    private let registry: PrometheusCollectorRegistry
    private let reloadConfiguration: (@Sendable () async throws -> ProxyConfiguration)?
    private let running = Mutex<Running?>(nil)
    private let addresses = Mutex<(proxy: SocketAddress?, metrics: SocketAddress?)>((nil, nil))
    private let started = AsyncStream<Void>.makeStream()

    /// - Parameters:
    ///   - configuration: the settings; validated when `run()` starts.
    ///   - logger: where state changes (listening, backends in and out of rotation, drain) are logged.
    ///   - metricsRegistry: the registry the metrics listener serves; pass one to add other metrics.
    ///   - reloadConfiguration: called on SIGHUP to obtain the new settings.
    public init(
        configuration: ProxyConfiguration,
        logger: Logger = Logger(label: "gateway.proxy"),
        metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        reloadConfiguration: (@Sendable () async throws -> ProxyConfiguration)? = nil
    ) {
        self.configuration = configuration
        self.logger = logger
        self.registry = metricsRegistry
        self.reloadConfiguration = reloadConfiguration
    }

    /// The bound S3 listener address once `run()` has started listening (useful with port 0).
    public var listeningAddress: SocketAddress? { addresses.withLock { $0.proxy } }
    /// The bound metrics listener address, if any.
    public var metricsAddress: SocketAddress? { addresses.withLock { $0.metrics } }

    /// Waits until the listeners are bound (or `run()` failed or ended).
    public func waitUntilListening() async {
        for await _ in started.stream { break }
    }

    public func run() async throws {
        defer { started.continuation.finish() }
        let state = try await start()
        started.continuation.yield()
        let hangup = installReloadSignal()
        defer { hangup.cancel() }

        var cancelled = false
        do {
            try await gracefulShutdown()
        } catch {
            cancelled = true
        }
        await stop(state, drain: !cancelled)
    }

    // MARK: start

    private func start() async throws -> Running {
        if let problem = configuration.problems().first { throw ProxyStartupError.invalidConfiguration(problem) }
        let metrics = ProxyMetrics(registry: registry)
        let backends = try resolve(configuration.backends, reuse: [], metrics: metrics)
        var accessLog: AccessLogSink? = nil
        if let destination = configuration.accessLog {
            do throws(ProxyConfigurationError) {
                accessLog = try AccessLogSink(destination: destination, dropped: metrics.accessLogDropped)
            } catch {
                throw ProxyStartupError.invalidConfiguration(error)
            }
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: configuration.threads ?? System.coreCount)
        let runtime = ProxyRuntime(configuration: configuration, metrics: metrics, logger: logger, accessLog: accessLog, backends: backends)
        do {
            var contexts: [NIOLoopBound<LoopContext>] = []
            var ticks: [RepeatedTask] = []
            for loop in group.makeIterator() {
                let bound = try await loop.submit {
                    let context = LoopContext(eventLoop: loop, runtime: runtime)
                    context.setBackends(backends)
                    return NIOLoopBound(context, eventLoop: loop)
                }.get()
                contexts.append(bound)
                ticks.append(loop.scheduleRepeatedTask(initialDelay: .milliseconds(100), delay: .milliseconds(100)) { _ in bound.value.tick() })
            }
            let byLoop = Dictionary(uniqueKeysWithValues: contexts.map { (ObjectIdentifier($0.eventLoop), $0) })
            let server = try await bind(configuration.listen, setting: "listen") {
                ServerBootstrap(group: group)
                    .serverChannelOption(.backlog, value: 4096)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                    .childChannelOption(.recvAllocator, value: AdaptiveRecvByteBufferAllocator(minimum: 1024, initial: 4096, maximum: 262_144))
                    .childChannelOption(.writeBufferWaterMark, value: .init(low: 256 * 1024, high: 768 * 1024))
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            guard let bound = byLoop[ObjectIdentifier(channel.eventLoop)] else { throw ChannelError.ioOnClosedChannel }
                            try channel.pipeline.syncOperations.addHandler(ClientConnectionHandler(loop: bound.value))
                        }
                    }
            }
            var metricsServer: (any Channel)? = nil
            if let metricsListen = configuration.metricsListen {
                do {
                    metricsServer = try await bind(metricsListen, setting: "metrics-listen") {
                        ServerBootstrap(group: group)
                            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                            .childChannelInitializer { channel in
                                channel.eventLoop.makeCompletedFuture {
                                    try channel.pipeline.syncOperations.addHandler(MetricsEndpointHandler(runtime: runtime))
                                }
                            }
                    }
                } catch {
                    try? await server.close()
                    throw error
                }
            }
            let checkLoop = group.next()
            let settings = HealthCheckSettings(configuration)
            let logger = self.logger
            let checker = try await checkLoop.submit {
                let checker = HealthChecker(eventLoop: checkLoop, settings: settings, logger: logger)
                checker.update(backends: backends, settings: settings)
                return NIOLoopBound(checker, eventLoop: checkLoop)
            }.get()
            let state = Running(
                group: group, runtime: runtime, contexts: contexts, checker: checker, server: server,
                metricsServer: metricsServer, ticks: ticks, configuration: configuration)
            running.withLock { $0 = state }
            addresses.withLock { $0 = (server.localAddress, metricsServer?.localAddress) }
            logger.info(
                "proxy listening on \(Self.describe(server.localAddress))",
                metadata: [
                    "backends": "\(backends.map(\.label).joined(separator: ","))",
                    "policy": "\(configuration.policy.rawValue)",
                ])
            if let metricsServer {
                logger.info("metrics listening on \(Self.describe(metricsServer.localAddress))")
            }
            return state
        } catch {
            try? await group.shutdownGracefully()
            await accessLog?.close()
            throw error
        }
    }

    private func bind(
        _ address: ProxyListenAddress, setting: String, _ makeBootstrap: () -> ServerBootstrap
    ) async throws -> any Channel {
        do {
            return try await makeBootstrap().bind(host: address.host, port: address.port).get()
        } catch let error as IOError {
            throw ProxyStartupError.cannotListen(setting: setting, address: address.description, reason: String(cString: strerror(error.errnoCode)))
        } catch {
            throw ProxyStartupError.cannotListen(setting: setting, address: address.description, reason: "\(error)")
        }
    }

    private static func describe(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "unknown" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    private func resolve(_ urls: [ProxyBackendURL], reuse existing: [Backend], metrics: ProxyMetrics) throws -> [Backend] {
        try urls.map { url in
            if let kept = existing.first(where: { $0.url == url }) { return kept }
            do {
                let address = try SocketAddress.makeAddressResolvingHost(url.host, port: url.port)
                return Backend(url: url, address: address, metrics: metrics)
            } catch {
                throw ProxyStartupError.unresolvableBackend(url.description, reason: "\(error)")
            }
        }
    }

    // MARK: reload

    /// Applies a new configuration to the running proxy: the backend list and the health-check settings.
    /// Backends that stay keep their health state and pooled connections. Other settings need a restart.
    public func reload(_ newConfiguration: ProxyConfiguration) async throws {
        if let problem = newConfiguration.problems().first { throw ProxyStartupError.invalidConfiguration(problem) }
        guard let state = running.withLock({ $0 }) else { return }
        let old = state.runtime.backends
        let backends = try resolve(newConfiguration.backends, reuse: old, metrics: state.runtime.metrics)
        for backend in old where !backends.contains(where: { $0 === backend }) {
            backend.retired.store(true, ordering: .relaxed)
            registry.unregisterGauge(backend.upGauge)
            registry.unregisterGauge(backend.outstandingGauge)
        }
        state.runtime.replaceBackends(backends)
        for bound in state.contexts {
            try await bound.eventLoop.submit { bound.value.setBackends(backends) }.get()
        }
        let settings = HealthCheckSettings(newConfiguration)
        let checker = state.checker
        try await checker.eventLoop.submit { checker.value.update(backends: backends, settings: settings) }.get()
        state.runtime.accessLog?.reopen()
        var unchanged = newConfiguration
        unchanged.backends = state.configuration.backends
        unchanged.backendHealthPath = state.configuration.backendHealthPath
        unchanged.healthInterval = state.configuration.healthInterval
        unchanged.fastHealthInterval = state.configuration.fastHealthInterval
        unchanged.healthTimeout = state.configuration.healthTimeout
        unchanged.rise = state.configuration.rise
        unchanged.fall = state.configuration.fall
        if unchanged != state.configuration {
            logger.warning("reload applied backends and health checks only; other changed settings take effect after a restart")
        }
        running.withLock { $0?.configuration.backends = newConfiguration.backends }
        logger.info("reloaded backends", metadata: ["backends": "\(backends.map(\.label).joined(separator: ","))"])
    }

    /// SIGHUP: reload through `reloadConfiguration` when given; always reopen the access log file
    /// (log rotation). Without this, SIGHUP would end the process.
    private func installReloadSignal() -> any DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: DispatchQueue(label: "gateway.proxy.sighup"))
        let logger = self.logger
        let reloadConfiguration = self.reloadConfiguration
        source.setEventHandler { [self] in
            guard let reloadConfiguration else {
                running.withLock { $0?.runtime.accessLog }?.reopen()
                logger.info("SIGHUP: access log reopened; no configuration source to reload backends from")
                return
            }
            Task {
                do {
                    try await self.reload(try await reloadConfiguration())
                } catch {
                    logger.error("reload failed; keeping the current backends", metadata: ["error": "\(error)"])
                }
            }
        }
        source.resume()
        return source
    }

    // MARK: stop

    private func stop(_ state: Running, drain: Bool) async {
        let runtime = state.runtime
        runtime.startDraining()
        if drain && state.configuration.drainPeriod > .zero {
            logger.info(
                "draining: health endpoint reports 503 while requests are still served",
                metadata: [
                    "drain": "\(state.configuration.drainPeriod)"
                ])
            try? await Task.sleep(for: state.configuration.drainPeriod)
        }
        try? await state.server.close()
        for bound in state.contexts {
            try? await bound.eventLoop.submit { bound.value.beginShutdown() }.get()
        }
        let grace = drain ? state.configuration.shutdownGracePeriod : .seconds(1)
        let deadline = ContinuousClock.now + grace
        while runtime.openConnections.load(ordering: .relaxed) > 0 && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        let remaining = runtime.openConnections.load(ordering: .relaxed)
        if remaining > 0 {
            logger.warning("grace period over; closing \(remaining) connections")
        }
        for bound in state.contexts {
            try? await bound.eventLoop.submit { bound.value.closeAll() }.get()
        }
        let checker = state.checker
        try? await checker.eventLoop.submit { checker.value.stop() }.get()
        try? await state.metricsServer?.close()
        for tick in state.ticks { tick.cancel() }
        for bound in state.contexts {
            try? await bound.eventLoop.submit {
                bound.value.publishMetrics()
                bound.value.flushAccessLog()
            }.get()
        }
        await runtime.accessLog?.close()
        try? await state.group.shutdownGracefully()
        running.withLock { $0 = nil }
        logger.info("proxy stopped")
    }
}
