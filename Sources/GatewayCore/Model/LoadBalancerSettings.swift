/// The S3 load balancer in front of the Auto Scaling Group.
public struct LoadBalancerSettings: Codable, Sendable, Equatable {
    /// ALB (default, as the architecture describes) or NLB (as the reference code used).
    public var type: LoadBalancerType
    /// `true` for an internal load balancer in the private subnets.
    public var `internal`: Bool
    /// Client CIDRs allowed to reach the load balancer.
    public var allowedCidrs: [String]
    /// TLS policy of the 443 listener; must allow TLS 1.2 or newer only.
    public var tlsPolicy: String
    /// Seconds between health checks of the proxy's health endpoint.
    public var healthCheckIntervalSeconds: Int
    /// Seconds a health check may take.
    public var healthCheckTimeoutSeconds: Int
    /// Consecutive successes before an instance is healthy.
    public var healthyThreshold: Int
    /// Consecutive failures before an instance is unhealthy.
    public var unhealthyThreshold: Int
    /// Seconds a deregistering instance keeps serving in-flight requests.
    public var deregistrationDelaySeconds: Int
    /// ALB idle timeout; S3 operations such as CompleteMultipartUpload can be silent for minutes.
    public var idleTimeoutSeconds: Int
    /// Cross-zone load balancing (NLB; always on for ALB).
    public var crossZone: Bool
    /// Deletion protection on the load balancer. A config file that does not set it gets it on,
    /// except in the `dev` environment (see ``defaultDeletionProtection(environment:)``).
    public var deletionProtection: Bool
    /// Access logs of the load balancer in an encrypted S3 bucket of the deployment, kept as long as
    /// `monitoring.logRetentionDays`.
    public var accessLogs: Bool
    /// ALB only: also listen on port 80 and answer every request with a redirect to HTTPS. Off by
    /// default: S3 clients speak HTTPS, and a plain-HTTP port is one more thing open to the internet.
    public var httpRedirect: Bool

    /// Creates load balancer settings with the defaults.
    public init(
        type: LoadBalancerType = .alb,
        internal: Bool = false,
        allowedCidrs: [String] = ["0.0.0.0/0"],
        tlsPolicy: String = "ELBSecurityPolicy-TLS13-1-2-2021-06",
        healthCheckIntervalSeconds: Int = 10,
        healthCheckTimeoutSeconds: Int = 5,
        healthyThreshold: Int = 2,
        unhealthyThreshold: Int = 2,
        deregistrationDelaySeconds: Int = 60,
        idleTimeoutSeconds: Int = 300,
        crossZone: Bool = true,
        deletionProtection: Bool = true,
        accessLogs: Bool = true,
        httpRedirect: Bool = false
    ) {
        self.type = type
        self.internal = `internal`
        self.allowedCidrs = allowedCidrs
        self.tlsPolicy = tlsPolicy
        self.healthCheckIntervalSeconds = healthCheckIntervalSeconds
        self.healthCheckTimeoutSeconds = healthCheckTimeoutSeconds
        self.healthyThreshold = healthyThreshold
        self.unhealthyThreshold = unhealthyThreshold
        self.deregistrationDelaySeconds = deregistrationDelaySeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.crossZone = crossZone
        self.deletionProtection = deletionProtection
        self.accessLogs = accessLogs
        self.httpRedirect = httpRedirect
    }

    /// Deletion protection when the config does not set it: on, except in the `dev` environment,
    /// whose deployments are made to be destroyed.
    public static func defaultDeletionProtection(environment: String) -> Bool {
        environment != "dev"
    }
}

/// The kind of AWS load balancer.
public enum LoadBalancerType: String, Codable, Sendable, Equatable, CaseIterable {
    /// Application Load Balancer (HTTP-aware, optional HTTP→HTTPS redirect, drops invalid headers).
    case alb
    /// Network Load Balancer (TLS passthrough of TCP; what the reference code deployed).
    case nlb
}
