/// The S3 balancing proxy on each instance (replaces MinIO Sidekick).
public struct ProxySettings: Codable, Sendable, Equatable {
    /// Port the proxy listens on; the load balancer's target port (reference `service_port` 8000).
    public var listenPort: Int
    /// The proxy's own health path for the load balancer; cannot be a bucket name.
    public var healthPath: String
    /// Backend selection policy.
    public var policy: BalancingPolicy
    /// Seconds between active health checks of each gateway.
    public var healthIntervalSeconds: Double
    /// Seconds a gateway health check may take.
    public var healthTimeoutSeconds: Double
    /// Consecutive successes before a gateway is used again.
    public var rise: Int
    /// Consecutive failures before a gateway is ejected.
    public var fall: Int
    /// Minimum healthy gateways for the proxy to report healthy.
    public var minHealthyBackends: Int
    /// Seconds to connect to a gateway.
    public var connectTimeoutSeconds: Double
    /// Seconds an idle client or pooled gateway connection is kept.
    public var idleTimeoutSeconds: Double
    /// Seconds to wait for a gateway's first response byte (CompleteMultipartUpload can be slow).
    public var responseTimeoutSeconds: Double
    /// Seconds to keep serving while reporting unhealthy on SIGTERM, so the load balancer deregisters.
    public var drainSeconds: Double
    /// Maximum concurrent client connections.
    public var maxConnections: Int
    /// Port of the Prometheus metrics listener (loopback unless configured); 0 disables it.
    public var metricsPort: Int
    /// Access log destination: a file path, `-` for stdout, empty to disable.
    public var accessLog: String

    /// Creates proxy settings with the defaults.
    public init(
        listenPort: Int = 8000,
        healthPath: String = "/_gateway/health",
        policy: BalancingPolicy = .powerOfTwoChoices,
        healthIntervalSeconds: Double = 2,
        healthTimeoutSeconds: Double = 1,
        rise: Int = 2,
        fall: Int = 3,
        minHealthyBackends: Int = 1,
        connectTimeoutSeconds: Double = 2,
        idleTimeoutSeconds: Double = 60,
        responseTimeoutSeconds: Double = 900,
        drainSeconds: Double = 30,
        maxConnections: Int = 10_000,
        metricsPort: Int = 9100,
        accessLog: String = "/var/log/gateway/access.log"
    ) {
        self.listenPort = listenPort
        self.healthPath = healthPath
        self.policy = policy
        self.healthIntervalSeconds = healthIntervalSeconds
        self.healthTimeoutSeconds = healthTimeoutSeconds
        self.rise = rise
        self.fall = fall
        self.minHealthyBackends = minHealthyBackends
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.responseTimeoutSeconds = responseTimeoutSeconds
        self.drainSeconds = drainSeconds
        self.maxConnections = maxConnections
        self.metricsPort = metricsPort
        self.accessLog = accessLog
    }
}

/// How the proxy picks a gateway for a request.
public enum BalancingPolicy: String, Codable, Sendable, Equatable, CaseIterable {
    /// Least outstanding requests between two random choices.
    case powerOfTwoChoices = "p2c"
    /// Strict rotation.
    case roundRobin = "round-robin"
}
