/// The proxy's Prometheus metrics that the CloudWatch agent imports into CloudWatch (the proxy serves
/// them on `127.0.0.1:<proxy.metricsPort>/metrics`; names as the proxy's `ProxyMetrics` defines them).
/// The NLB's 5xx alarm and the dashboard read them, since an NLB sees no HTTP status codes.
enum ProxyPrometheusMetrics {
    /// The scrape job, also the `job` label the agent matches.
    static let job = "gateway-proxy"
    /// Requests answered, labelled by method, operation class and `status_class`.
    static let requests = "gateway_proxy_requests_total"
    /// The status class label: `2xx`, `4xx`, `5xx`, ...
    static let statusClassLabel = "status_class"
    /// A label the scrape adds with the deployment's name, so the fleet's values add up.
    static let deploymentLabel = "deployment"
    /// Status classes the dashboard and the 5xx rate read.
    static let statusClasses = ["2xx", "3xx", "4xx", "5xx"]

    /// Whether the instances publish the proxies' metrics to CloudWatch.
    static func imported(cloudWatch: Bool, prometheus: Bool, metricsPort: Int) -> Bool {
        cloudWatch && prometheus && metricsPort > 0
    }
}
