import GatewayCore

/// The CloudWatch agent's configuration on an instance: the system log, the proxy's access log and the
/// boot output to the deployment's log groups, memory and disk metrics per Auto Scaling Group.
enum CloudWatchAgentConfig {
    static func render(_ config: GatewayConfig) -> String {
        let names = config.names
        var files: [JSONValue] = [
            logFile("/var/log/syslog", group: names.nodeLogGroup),
            logFile("/var/log/cloud-init-output.log", group: names.bootLogGroup),
        ]
        if config.proxy.accessLog.hasPrefix("/") {
            files.append(logFile(config.proxy.accessLog, group: names.accessLogGroup))
        }
        return JSONValue.object([
            "agent": .object([
                "metrics_collection_interval": .integer(config.monitoring.publishIntervalSeconds),
                "run_as_user": .string("root"),
            ]),
            "logs": .object([
                "logs_collected": .object([
                    "files": .object(["collect_list": .array(files)]),
                ]),
            ]),
            "metrics": .object([
                "namespace": .string("CWAgent"),
                "append_dimensions": .object([
                    "AutoScalingGroupName": .string("${aws:AutoScalingGroupName}"),
                    "InstanceId": .string("${aws:InstanceId}"),
                ]),
                "aggregation_dimensions": .array([.strings(["AutoScalingGroupName"])]),
                "metrics_collected": .object([
                    "mem": .object(["measurement": .strings(["mem_used_percent"])]),
                    "disk": .object([
                        "measurement": .strings(["used_percent"]),
                        "resources": .strings(["/", config.storage.cacheMountPoint]),
                    ]),
                ]),
            ]),
        ]).text
    }

    private static func logFile(_ path: String, group: String) -> JSONValue {
        .object([
            "file_path": .string(path),
            "log_group_name": .string(group),
            "log_stream_name": .string("{instance_id}"),
        ])
    }
}
