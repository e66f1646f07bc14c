import GatewayCore

/// The CloudWatch agent's configuration on an instance: the system log, the proxy's access log and the
/// boot output to the deployment's log groups; memory and disk metrics per Auto Scaling Group; and, when
/// the proxies serve Prometheus metrics, their request counts imported into the deployment's namespace.
///
/// The layout follows the agent's own schema (`translator/config/schema.json` in
/// aws/amazon-cloudwatch-agent): `logs.logs_collected` takes only log sources (`files` here), while the
/// Prometheus import is a `logs.metrics_collected` section. `fetch-config` refuses anything else.
enum CloudWatchAgentConfig {
    /// Where the boot script installs the agent's files.
    static let configPath = "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json"
    static let prometheusConfigPath = "/opt/aws/amazon-cloudwatch-agent/etc/gateway-prometheus.yaml"
    /// The agent's control program.
    static let control = "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl"
    /// The namespace of the agent's own metrics (memory and disk).
    static let namespace = "CWAgent"
    /// The memory metric every instance's agent publishes each `metrics_collection_interval`; its
    /// sample count per Auto Scaling Group tells how many agents report.
    static let memoryMetric = "mem_used_percent"

    static func importsProxyMetrics(_ config: GatewayConfig) -> Bool {
        ProxyPrometheusMetrics.imported(cloudWatch: config.monitoring.cloudWatch, prometheus: config.monitoring.prometheus, metricsPort: config.proxy.metricsPort)
    }

    static func render(_ config: GatewayConfig) -> String {
        let names = config.names
        var files: [JSONValue] = [
            logFile("/var/log/syslog", group: names.nodeLogGroup),
            logFile("/var/log/cloud-init-output.log", group: names.bootLogGroup),
        ]
        if config.proxy.accessLog.hasPrefix("/") {
            files.append(logFile(config.proxy.accessLog, group: names.accessLogGroup))
        }
        var logs: [String: JSONValue] = [
            "logs_collected": .object(["files": .object(["collect_list": .array(files)])])
        ]
        if importsProxyMetrics(config) {
            logs["metrics_collected"] = .object([
                "prometheus": .object([
                    "log_group_name": .string(names.metricsLogGroup),
                    "prometheus_config_path": .string(prometheusConfigPath),
                    "emf_processor": .object([
                        "metric_declaration_dedup": .bool(true),
                        "metric_namespace": .string(config.monitoring.namespace),
                        "metric_unit": .object([ProxyPrometheusMetrics.requests: .string("Count")]),
                        "metric_declaration": .array([
                            .object([
                                "source_labels": .strings(["job"]),
                                "label_matcher": .string("^\(ProxyPrometheusMetrics.job)$"),
                                "dimensions": .array([.strings([ProxyPrometheusMetrics.deploymentLabel, ProxyPrometheusMetrics.statusClassLabel])]),
                                "metric_selectors": .strings(["^\(ProxyPrometheusMetrics.requests)$"]),
                            ])
                        ]),
                    ]),
                ])
            ])
        }
        return JSONValue.object([
            "agent": .object([
                "metrics_collection_interval": .integer(config.monitoring.publishIntervalSeconds),
                "run_as_user": .string("root"),
            ]),
            "logs": .object(logs),
            "metrics": .object([
                "namespace": .string(namespace),
                "append_dimensions": .object([
                    "AutoScalingGroupName": .string("${aws:AutoScalingGroupName}"),
                    "InstanceId": .string("${aws:InstanceId}"),
                ]),
                "aggregation_dimensions": .array([.strings(["AutoScalingGroupName"])]),
                "metrics_collected": .object([
                    "mem": .object(["measurement": .strings([memoryMetric])]),
                    "disk": .object([
                        "measurement": .strings(["used_percent"]),
                        "resources": .strings(["/", config.storage.cacheMountPoint]),
                    ]),
                ]),
            ]),
        ]).text
    }

    /// The agent's Prometheus scrape configuration: the proxy's metrics listener on this instance.
    static func prometheusScrape(_ config: GatewayConfig) -> String {
        """
        # Scraped by the CloudWatch agent: the proxy's Prometheus metrics on this instance.
        global:
          scrape_interval: \(config.monitoring.publishIntervalSeconds)s
          scrape_timeout: 10s
        scrape_configs:
          - job_name: \(ProxyPrometheusMetrics.job)
            sample_limit: 10000
            metrics_path: /metrics
            static_configs:
              - targets:
                  - 127.0.0.1:\(config.proxy.metricsPort)
                labels:
                  \(ProxyPrometheusMetrics.deploymentLabel): \(config.names.deployment)

        """
    }

    private static func logFile(_ path: String, group: String) -> JSONValue {
        .object([
            "file_path": .string(path),
            "log_group_name": .string(group),
            "log_stream_name": .string("{instance_id}"),
        ])
    }
}
