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
    /// Deletion protection on the load balancer.
    public var deletionProtection: Bool

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
        deletionProtection: Bool = false
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
    }
}

/// The kind of AWS load balancer.
public enum LoadBalancerType: String, Codable, Sendable, Equatable, CaseIterable {
    /// Application Load Balancer (HTTP-aware, HTTP→HTTPS redirect, drops invalid headers).
    case alb
    /// Network Load Balancer (TLS passthrough of TCP; what the reference code deployed).
    case nlb
}
