import GatewayCore

/// `monitoring.tf`: encrypted log groups with retention, alarms (unhealthy hosts, 5xx rate, in-service
/// instances below the minimum, instances whose CloudWatch agent does not report) and an optional
/// dashboard. Nothing here limits the group's size.
enum TerraformMonitoring {
    static let file = "monitoring.tf"

    /// The instances' log groups: Terraform resource name and log group name.
    static let nodeLogGroups: [(resource: String, description: String)] = [
        ("node", "system log of the instances"),
        ("access", "access log of the proxies"),
        ("boot", "boot output of the instances"),
    ]

    /// The log group the CloudWatch agent sends the proxies' imported metrics to.
    static let metricsLogGroup: (resource: String, description: String) = ("metrics", "proxy metrics imported by the CloudWatch agent")

    /// The instances' log groups for a config.
    static func nodeLogGroups(_ context: TerraformContext) -> [(resource: String, description: String)] {
        guard context.cloudWatch else { return [] }
        return nodeLogGroups + (context.importsProxyMetrics ? [metricsLogGroup] : [])
    }

    static func logGroupName(_ resource: String, _ names: DeploymentNames) -> String {
        switch resource {
        case "node": names.nodeLogGroup
        case "access": names.accessLogGroup
        case "boot": names.bootLogGroup
        case "metrics": names.metricsLogGroup
        default: names.flowLogGroup
        }
    }

    static func render(_ context: TerraformContext, into module: inout TerraformModule) {
        let names = context.names
        module.comment("The deployment's logs are encrypted with a key of their own.", in: file)
        module.add(
            .resource("aws_kms_key", "logs") { key in
                key["description"] = .string("CloudWatch Logs of \(names.deployment)")
                key["enable_key_rotation"] = true
                key["deletion_window_in_days"] = 30
                key["policy"] = .call(
                    "jsonencode",
                    [
                        .object([
                            ("Version", "2012-10-17"),
                            (
                                "Statement",
                                .list([
                                    .object([
                                        ("Sid", "AccountAdministration"),
                                        ("Effect", "Allow"),
                                        (
                                            "Principal",
                                            .inlineObject([
                                                ("AWS", .interpolated("arn:", .ref("data.aws_partition.current.partition"), ":iam::", .ref("data.aws_caller_identity.current.account_id"), ":root"))
                                            ])
                                        ),
                                        ("Action", "kms:*"),
                                        ("Resource", "*"),
                                    ]),
                                    .object([
                                        ("Sid", "CloudWatchLogsOfThisDeployment"),
                                        ("Effect", "Allow"),
                                        ("Principal", .inlineObject([("Service", .interpolated("logs.", .ref("var.region"), ".amazonaws.com"))])),
                                        ("Action", .strings(["kms:Decrypt*", "kms:Describe*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:ReEncrypt*"])),
                                        ("Resource", "*"),
                                        (
                                            "Condition",
                                            .object([
                                                (
                                                    "ArnLike",
                                                    .object([
                                                        ("kms:EncryptionContext:aws:logs:arn", context.arn("logs", ["log-group:\(names.logGroupPrefix)/*"]))
                                                    ])
                                                )
                                            ])
                                        ),
                                    ]),
                                ])
                            ),
                        ])
                    ])
                key.nameTag(.interpolated(.ref("local.name"), "-logs"))
            }, to: file)
        module.add(
            .resource("aws_kms_alias", "logs") { alias in
                alias["name"] = .string("alias/\(names.prefix)-logs")
                alias["target_key_id"] = .ref("aws_kms_key.logs.key_id")
            }, to: file)

        var groups = nodeLogGroups(context)
        groups.append(("flow_logs", "rejected traffic in the VPC"))
        for group in groups {
            module.comment("The \(group.description).", in: file)
            module.add(
                .resource("aws_cloudwatch_log_group", group.resource) { log in
                    log["name"] = .string(logGroupName(group.resource, names))
                    log["retention_in_days"] = .ref("var.log_retention_days")
                    log["kms_key_id"] = .ref("aws_kms_key.logs.arn")
                }, to: file)
        }

        if context.alarms { renderAlarms(context, into: &module) }
        if context.config.monitoring.dashboard { renderDashboard(context, into: &module) }
    }

    private static func alarmActions(_ context: TerraformContext, _ alarm: inout HCLBlock) {
        guard context.hasAlarmTopic else { return }
        alarm["alarm_actions"] = [.ref("var.alarm_topic_arn")]
        alarm["ok_actions"] = [.ref("var.alarm_topic_arn")]
    }

    private static func proxyDimensions(_ statusClass: String) -> HCLExpression {
        .object([(ProxyPrometheusMetrics.deploymentLabel, .ref("local.name")), (ProxyPrometheusMetrics.statusClassLabel, .string(statusClass))])
    }

    private static func loadBalancerDimensions(_ context: TerraformContext) -> HCLExpression {
        .object([("LoadBalancer", .ref("aws_lb.s3.arn_suffix")), ("TargetGroup", .ref("aws_lb_target_group.proxy.arn_suffix"))])
    }

    static func renderAlarms(_ context: TerraformContext, into module: inout TerraformModule) {
        module.add(
            .resource("aws_cloudwatch_metric_alarm", "unhealthy_hosts") { alarm in
                alarm["alarm_name"] = context.name("unhealthy-hosts")
                alarm["alarm_description"] = "At least one gateway instance fails the load balancer's health check."
                alarm["namespace"] = .string(context.loadBalancerNamespace)
                alarm["metric_name"] = "UnHealthyHostCount"
                alarm["statistic"] = "Maximum"
                alarm["period"] = 60
                alarm["evaluation_periods"] = 3
                alarm["threshold"] = 0
                alarm["comparison_operator"] = "GreaterThanThreshold"
                alarm["treat_missing_data"] = "notBreaching"
                alarm["dimensions"] = loadBalancerDimensions(context)
                alarmActions(context, &alarm)
            }, to: file)

        // An NLB sees no HTTP status codes; there the rate comes from the proxies' own counts.
        if context.isALB || context.importsProxyMetrics {
            module.add(
                .resource("aws_cloudwatch_metric_alarm", "server_error_rate") { alarm in
                    alarm["alarm_name"] = context.name("5xx-rate")
                    alarm["alarm_description"] = "More than 5% of S3 requests fail with a 5xx status."
                    alarm["comparison_operator"] = "GreaterThanThreshold"
                    alarm["threshold"] = 5
                    alarm["evaluation_periods"] = 5
                    alarm["datapoints_to_alarm"] = 3
                    alarm["treat_missing_data"] = "notBreaching"
                    alarm.block("metric_query") { query in
                        query["id"] = "rate"
                        query["label"] = "5xx responses (%)"
                        query["expression"] =
                            context.isALB
                            ? "IF(requests > 0, 100 * (FILL(target_5xx, 0) + FILL(lb_5xx, 0)) / requests, 0)"
                            : "IF(FILL(r2xx, 0) + FILL(r3xx, 0) + FILL(r4xx, 0) + FILL(r5xx, 0) > 0, 100 * FILL(r5xx, 0) / (FILL(r2xx, 0) + FILL(r3xx, 0) + FILL(r4xx, 0) + FILL(r5xx, 0)), 0)"
                        query["return_data"] = true
                    }
                    let metrics: [(id: String, namespace: HCLExpression, name: String, dimensions: HCLExpression)]
                    if context.isALB {
                        let dimensions = HCLExpression.object([("LoadBalancer", .ref("aws_lb.s3.arn_suffix"))])
                        metrics = [
                            ("requests", "AWS/ApplicationELB", "RequestCount", dimensions),
                            ("target_5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dimensions),
                            ("lb_5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", dimensions),
                        ]
                    } else {
                        metrics = ProxyPrometheusMetrics.statusClasses.map { statusClass in
                            ("r" + statusClass, .ref("var.metrics_namespace"), ProxyPrometheusMetrics.requests, proxyDimensions(statusClass))
                        }
                    }
                    for metric in metrics {
                        alarm.block("metric_query") { query in
                            query["id"] = .string(metric.id)
                            query.block("metric") { definition in
                                definition["namespace"] = metric.namespace
                                definition["metric_name"] = .string(metric.name)
                                definition["stat"] = "Sum"
                                definition["period"] = 60
                                definition["dimensions"] = metric.dimensions
                            }
                        }
                    }
                    alarmActions(context, &alarm)
                }, to: file)
        }

        module.add(
            .resource("aws_cloudwatch_metric_alarm", "in_service_below_minimum") { alarm in
                alarm["alarm_name"] = context.name("in-service-below-minimum")
                alarm["alarm_description"] = "Fewer instances are in service than the group's minimum size."
                alarm["namespace"] = "AWS/AutoScaling"
                alarm["metric_name"] = "GroupInServiceInstances"
                alarm["statistic"] = "Minimum"
                alarm["period"] = 60
                alarm["evaluation_periods"] = 5
                alarm["threshold"] = .ref("var.asg_min_size")
                alarm["comparison_operator"] = "LessThanThreshold"
                alarm["treat_missing_data"] = "breaching"
                alarm["dimensions"] = .object([("AutoScalingGroupName", .ref("aws_autoscaling_group.nodes.name"))])
                alarmActions(context, &alarm)
            }, to: file)

        if context.cloudWatch { renderAgentsNotReporting(context, into: &module) }
    }

    /// The period of the agents-not-reporting alarm, in seconds; every allowed publish interval divides it.
    static let agentReportPeriod = 300

    /// The boot script starts the CloudWatch agent only after the data path, and a failing agent does
    /// not stop the boot (``UserDataScript``), so an instance can serve while its logs and metrics are
    /// missing. This alarm makes that visible: every agent publishes `mem_used_percent` once per
    /// `metrics_collection_interval`, also aggregated by `AutoScalingGroupName` alone
    /// (`aggregation_dimensions`), so that metric's SampleCount over a period, divided by the samples
    /// one agent sends in it, is the number of agents reporting. It is compared with the group's
    /// average `GroupInServiceInstances` (enabled in `compute.tf`). The alarm fires when at least half
    /// an instance's worth of reports is missing in three periods in a row: the newest period may be
    /// partial (CloudWatch evaluates data as it arrives), a new instance reports within a minute or
    /// two, and no data at all (not one agent ever reported) counts as breaching.
    static func renderAgentsNotReporting(_ context: TerraformContext, into module: inout TerraformModule) {
        let group = HCLExpression.object([("AutoScalingGroupName", .ref("aws_autoscaling_group.nodes.name"))])
        // One agent's samples per period: 2.5 at 120 s, so not an integer division.
        let samples = Double(agentReportPeriod) / Double(context.config.monitoring.publishIntervalSeconds)
        let samplesPerAgent = samples == samples.rounded() ? String(Int(samples)) : String(samples)
        module.add(
            .resource("aws_cloudwatch_metric_alarm", "agents_not_reporting") { alarm in
                alarm["alarm_name"] = context.name("agents-not-reporting")
                alarm["alarm_description"] =
                    "In-service instances run without their CloudWatch agent reporting: their logs and metrics are missing. Look for gateway boot: lines in the instance boot log."
                alarm["comparison_operator"] = "GreaterThanThreshold"
                alarm["threshold"] = .decimal(0.5)
                alarm["evaluation_periods"] = 3
                alarm["datapoints_to_alarm"] = 3
                alarm["treat_missing_data"] = "breaching"
                alarm.block("metric_query") { query in
                    query["id"] = "silent"
                    query["label"] = "In-service instances without a reporting agent"
                    query["expression"] = .string("in_service - FILL(agent_samples, 0) / \(samplesPerAgent)")
                    query["return_data"] = true
                }
                let metrics: [(id: String, namespace: String, name: String, stat: String)] = [
                    ("in_service", "AWS/AutoScaling", "GroupInServiceInstances", "Average"),
                    ("agent_samples", CloudWatchAgentConfig.namespace, CloudWatchAgentConfig.memoryMetric, "SampleCount"),
                ]
                for metric in metrics {
                    alarm.block("metric_query") { query in
                        query["id"] = .string(metric.id)
                        query.block("metric") { definition in
                            definition["namespace"] = .string(metric.namespace)
                            definition["metric_name"] = .string(metric.name)
                            definition["stat"] = .string(metric.stat)
                            definition["period"] = .number(agentReportPeriod)
                            definition["dimensions"] = group
                        }
                    }
                }
                alarmActions(context, &alarm)
            }, to: file)
    }

    static func renderDashboard(_ context: TerraformContext, into module: inout TerraformModule) {
        let lbNamespace = context.loadBalancerNamespace
        let lb = HCLExpression.ref("aws_lb.s3.arn_suffix")
        let group = HCLExpression.ref("aws_lb_target_group.proxy.arn_suffix")
        let asg = HCLExpression.ref("aws_autoscaling_group.nodes.name")
        func metric(_ namespace: HCLExpression, _ name: String, _ dimensions: [(String, HCLExpression)], stat: String) -> HCLExpression {
            var items: [HCLExpression] = [namespace, .string(name)]
            for (key, value) in dimensions { items += [.string(key), value] }
            items.append(.inlineObject([("stat", .string(stat))]))
            return .list(items)
        }
        func widget(_ index: Int, _ title: String, _ metrics: [HCLExpression]) -> HCLExpression {
            .object([
                ("type", "metric"),
                ("x", .number(index % 2 * 12)),
                ("y", .number(index / 2 * 6)),
                ("width", 12),
                ("height", 6),
                (
                    "properties",
                    .object([
                        ("title", .string(title)),
                        ("region", .ref("var.region")),
                        ("period", 60),
                        ("view", "timeSeries"),
                        ("metrics", .list(metrics)),
                    ])
                ),
            ])
        }
        var widgets: [HCLExpression] = []
        let ns = HCLExpression.string(lbNamespace)
        if context.isALB {
            widgets.append(
                widget(
                    widgets.count, "Requests and errors",
                    [
                        metric(ns, "RequestCount", [("LoadBalancer", lb)], stat: "Sum"),
                        metric(ns, "HTTPCode_Target_5XX_Count", [("LoadBalancer", lb)], stat: "Sum"),
                        metric(ns, "HTTPCode_Target_4XX_Count", [("LoadBalancer", lb)], stat: "Sum"),
                    ]))
            widgets.append(
                widget(
                    widgets.count, "Response time (seconds)",
                    [
                        metric(ns, "TargetResponseTime", [("LoadBalancer", lb)], stat: "p50"),
                        metric(ns, "TargetResponseTime", [("LoadBalancer", lb)], stat: "p99"),
                    ]))
        } else {
            widgets.append(
                widget(
                    widgets.count, "Connections and traffic",
                    [
                        metric(ns, "NewFlowCount_TLS", [("LoadBalancer", lb)], stat: "Sum"),
                        metric(ns, "ProcessedBytes_TLS", [("LoadBalancer", lb)], stat: "Sum"),
                    ]))
        }
        widgets.append(
            widget(
                widgets.count, "Target health",
                [
                    metric(ns, "HealthyHostCount", [("LoadBalancer", lb), ("TargetGroup", group)], stat: "Minimum"),
                    metric(ns, "UnHealthyHostCount", [("LoadBalancer", lb), ("TargetGroup", group)], stat: "Maximum"),
                ]))
        widgets.append(
            widget(
                widgets.count, "Instances",
                [
                    metric("AWS/AutoScaling", "GroupInServiceInstances", [("AutoScalingGroupName", asg)], stat: "Minimum"),
                    metric("AWS/AutoScaling", "GroupDesiredCapacity", [("AutoScalingGroupName", asg)], stat: "Maximum"),
                    metric("AWS/EC2", "CPUUtilization", [("AutoScalingGroupName", asg)], stat: "Average"),
                ]))
        if context.importsProxyMetrics {
            widgets.append(
                widget(
                    widgets.count, "Proxy responses by status class",
                    ProxyPrometheusMetrics.statusClasses.map { statusClass in
                        metric(
                            .ref("var.metrics_namespace"), ProxyPrometheusMetrics.requests,
                            [
                                (ProxyPrometheusMetrics.deploymentLabel, .ref("local.name")), (ProxyPrometheusMetrics.statusClassLabel, .string(statusClass)),
                            ], stat: "Sum")
                    }))
        }
        module.add(
            .resource("aws_cloudwatch_dashboard", "main") { dashboard in
                dashboard["dashboard_name"] = .string(context.names.dashboard)
                dashboard["dashboard_body"] = .call("jsonencode", [.object([("widgets", .list(widgets))])])
            }, to: file)
    }
}
