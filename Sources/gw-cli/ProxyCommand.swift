import ArgumentParser
import GatewayCore
import GatewayNode
import Logging
import ServiceLifecycle

/// `gw-cli proxy`: runs the S3 balancing proxy in the foreground until SIGTERM (graceful drain) or SIGINT.
struct ProxyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy",
        abstract: "Run the S3 balancing proxy in front of the node's gateways.",
        discussion: """
            Balances S3 requests over the backends (least outstanding requests with two random choices, or round robin), \
            health-checks them, and answers the load balancer on /_gateway/health. SIGTERM: report unhealthy, keep \
            serving for the drain period, then finish in-flight requests and exit 0. SIGHUP: reload the backend list \
            from --node-config. Durations: 500ms, 2s, 1m. Exit status: 0 after a clean stop, 1 failure, 2 invalid \
            flags or a listen address that cannot be bound.
            """
    )

    @Option(name: .customLong("listen"), help: ArgumentHelp("Address to serve S3 on.", valueName: "HOST:PORT"))
    var listen: String?

    @Option(name: .customLong("backend"), help: ArgumentHelp("A backend base URL; repeat for each backend.", valueName: "URL"))
    var backends: [String] = []

    @Option(name: .customLong("health-path"), help: ArgumentHelp("Health path of each backend (VersityGW --health).", valueName: "PATH"))
    var healthPath: String?

    @Option(name: .customLong("health-interval"), help: ArgumentHelp("Interval between health checks of a backend.", valueName: "DUR"))
    var healthInterval: String?

    @Option(name: .customLong("health-timeout"), help: ArgumentHelp("Time a health check may take.", valueName: "DUR"))
    var healthTimeout: String?

    @Option(name: .customLong("rise"), help: ArgumentHelp("Consecutive good checks that bring a backend back.", valueName: "N"))
    var rise: Int?

    @Option(name: .customLong("fall"), help: ArgumentHelp("Consecutive failures that take a backend out.", valueName: "N"))
    var fall: Int?

    @Option(name: .customLong("policy"), help: ArgumentHelp("Balancing policy: p2c or round-robin.", valueName: "p2c|round-robin"))
    var policy: String?

    @Option(name: .customLong("metrics-listen"), help: ArgumentHelp("Address of the Prometheus metrics listener (/metrics).", valueName: "HOST:PORT"))
    var metricsListen: String?

    @Option(name: .customLong("access-log"), help: ArgumentHelp("JSON-lines access log file, or - for standard output.", valueName: "PATH|-"))
    var accessLog: String?

    @Option(name: .customLong("drain"), help: ArgumentHelp("After SIGTERM, time to keep serving while reporting unhealthy.", valueName: "DUR"))
    var drain: String?

    @Option(name: .customLong("connect-timeout"), help: ArgumentHelp("Time allowed to connect to a backend.", valueName: "DUR"))
    var connectTimeout: String?

    @Option(name: .customLong("idle-timeout"), help: ArgumentHelp("Time an idle client connection is kept.", valueName: "DUR"))
    var idleTimeout: String?

    @Option(name: .customLong("max-connections"), help: ArgumentHelp("Most client connections at once.", valueName: "N"))
    var maxConnections: Int?

    @Option(name: .customLong("threads"), help: ArgumentHelp("Event loop threads (default: one per CPU core).", valueName: "N"))
    var threads: Int?

    @Option(name: .customLong("node-config"), help: ArgumentHelp("Take the settings from the node config (node.json); flags given too override it. SIGHUP re-reads it.", valueName: "FILE"))
    var nodeConfig: String?

    func run() async throws {
        let configuration: ProxyConfiguration
        do {
            configuration = try flagValues.makeConfiguration()
            try configuration.validate()
        } catch {
            Terminal.error("gw-cli proxy: \(error)")
            throw ExitCode(2)
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: "gateway.proxy")
        let flags = flagValues
        var reload: (@Sendable () async throws -> ProxyConfiguration)? = nil
        if nodeConfig != nil {
            reload = { @Sendable in try flags.makeConfiguration() }
        }
        let proxy = S3BalancingProxy(configuration: configuration, logger: logger, reloadConfiguration: reload)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: proxy, successTerminationBehavior: .gracefullyShutdownGroup, failureTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm],
                cancellationSignals: [.sigint],
                logger: logger))
        do {
            try await group.run()
        } catch let error as ProxyStartupError {
            Terminal.error("gw-cli proxy: \(error)")
            throw ExitCode(2)
        }
    }

    private var flagValues: ProxyFlagValues {
        ProxyFlagValues(
            listen: listen, backends: backends, healthPath: healthPath, healthInterval: healthInterval, healthTimeout: healthTimeout,
            rise: rise, fall: fall, policy: policy, metricsListen: metricsListen, accessLog: accessLog, drain: drain,
            connectTimeout: connectTimeout, idleTimeout: idleTimeout, maxConnections: maxConnections, threads: threads,
            nodeConfig: nodeConfig)
    }
}

/// The proxy flags as given, turned into a configuration (again on every SIGHUP).
struct ProxyFlagValues: Sendable {
    var listen: String?
    var backends: [String]
    var healthPath: String?
    var healthInterval: String?
    var healthTimeout: String?
    var rise: Int?
    var fall: Int?
    var policy: String?
    var metricsListen: String?
    var accessLog: String?
    var drain: String?
    var connectTimeout: String?
    var idleTimeout: String?
    var maxConnections: Int?
    var threads: Int?
    var nodeConfig: String?

    /// The node config (when given) with the flags on top.
    func makeConfiguration() throws -> ProxyConfiguration {
        var configuration = try nodeConfig.map { try ProxyConfiguration(nodeConfigFile: $0) } ?? ProxyConfiguration()
        if let listen { configuration.listen = try ProxyListenAddress(parsing: listen, field: "--listen") }
        if !backends.isEmpty {
            configuration.backends = try backends.map { try ProxyBackendURL(parsing: $0, field: "--backend") }
        }
        if let healthPath { configuration.backendHealthPath = healthPath }
        if let healthInterval {
            configuration.healthInterval = try .parseProxySetting(healthInterval, field: "--health-interval")
            configuration.fastHealthInterval = min(configuration.fastHealthInterval, configuration.healthInterval)
        }
        if let healthTimeout { configuration.healthTimeout = try .parseProxySetting(healthTimeout, field: "--health-timeout") }
        if let rise { configuration.rise = rise }
        if let fall { configuration.fall = fall }
        if let policy {
            guard let parsed = BalancingPolicy(rawValue: policy) else {
                throw ProxyConfigurationError(field: "--policy", message: "'\(policy)' is not a policy", hint: "use p2c or round-robin")
            }
            configuration.policy = parsed
        }
        if let metricsListen { configuration.metricsListen = try ProxyListenAddress(parsing: metricsListen, field: "--metrics-listen") }
        if let accessLog { configuration.accessLog = accessLog == "-" ? .standardOutput : .file(accessLog) }
        if let drain { configuration.drainPeriod = try .parseProxySetting(drain, field: "--drain") }
        if let connectTimeout { configuration.connectTimeout = try .parseProxySetting(connectTimeout, field: "--connect-timeout") }
        if let idleTimeout { configuration.idleTimeout = try .parseProxySetting(idleTimeout, field: "--idle-timeout") }
        if let maxConnections { configuration.maxConnections = maxConnections }
        if let threads { configuration.threads = threads }
        return configuration
    }
}
