/// The CloudWatch metrics each proxy publishes in the namespace ``MonitoringSettings/namespace``. The
/// rendered alarms and dashboard read them, so the proxy and the renderer take the names from here.
/// Every datum carries the ``deploymentDimension`` (value: ``DeploymentNames/deployment``) so that the
/// fleet's values aggregate across instances.
public enum ProxyCloudWatchMetrics {
    /// Dimension name whose value is the deployment, e.g. `s3-gateway-prod`.
    public static let deploymentDimension = "Deployment"
    /// Count of requests answered (Sum per period).
    public static let requests = "Requests"
    /// Count of 5xx responses sent to clients (Sum per period).
    public static let serverErrors = "ServerErrors"
    /// Gateways that pass the proxy's health checks (Minimum per period).
    public static let healthyBackends = "HealthyBackends"
}
