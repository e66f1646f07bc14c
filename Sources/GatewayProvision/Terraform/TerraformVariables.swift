import GatewayCore

/// An input variable of the Terraform project and its value from the config. Declarations go to
/// `variables.tf`, values to `terraform.tfvars.json`, so the two never disagree.
struct TerraformVariable {
    let name: String
    let type: HCLExpression
    let description: String
    let value: JSONValue
    var validations: [(condition: HCLExpression, message: String)] = []

    var block: HCLBlock {
        var block = HCLBlock("variable", name)
        block["description"] = .string(description)
        block["type"] = type
        for validation in validations {
            block.block("validation") { rule in
                rule["condition"] = validation.condition
                rule["error_message"] = .string(validation.message)
            }
        }
        return block
    }
}

/// The project's variables for a config.
enum TerraformVariables {
    static let string = HCLExpression.ref("string")
    static let number = HCLExpression.ref("number")
    static let bool = HCLExpression.ref("bool")
    static let strings = HCLExpression.call("list", [.ref("string")])
    static let numbers = HCLExpression.call("list", [.ref("number")])
    static let stringMap = HCLExpression.call("map", [.ref("string")])

    static func all(_ context: TerraformContext) -> [TerraformVariable] {
        let config = context.config
        let compute = config.compute
        let lb = config.loadBalancer
        var variables: [TerraformVariable] = [
            TerraformVariable(name: "region", type: string, description: "AWS region of the deployment.", value: .string(config.project.region)),
            TerraformVariable(
                name: "tags", type: stringMap, description: "Extra tags on every resource (the deployment tags are added).", value: .object(config.project.tags.values.mapValues { .string($0) })),
            TerraformVariable(
                name: "zone_count", type: number, description: "How many availability zones the deployment spans (2 or 3).", value: .integer(context.zoneCount),
                validations: [
                    (.call("contains", [.list([.number(2), .number(3)]), .ref("var.zone_count")]), "zone_count must be 2 or 3.")
                ]),
            TerraformVariable(
                name: "availability_zones", type: strings, description: "Zones in subnet order; empty: the region's first zone_count available zones that need no opt-in.",
                value: .strings(context.namedZones),
                validations: [
                    (
                        .binary(
                            .binary(.call("length", [.ref("var.availability_zones")]), .equal, .number(0)), .or,
                            .binary(.call("length", [.ref("var.availability_zones")]), .equal, .ref("var.zone_count"))), "Name zone_count zones, or none to use the region's first available zones."
                    )
                ]),
            TerraformVariable(
                name: "vpc_cidr", type: string, description: "IPv4 CIDR of the VPC.", value: .string(config.network.vpcCidr),
                validations: [
                    (.call("can", [.call("cidrhost", [.ref("var.vpc_cidr"), .number(0)])]), "The VPC CIDR must be an IPv4 CIDR such as 10.10.0.0/16.")
                ]),
            TerraformVariable(
                name: "private_subnet_cidrs", type: strings, description: "Private subnets of the instances, one per zone.", value: .strings(context.privateSubnets),
                validations: [
                    (.binary(.call("length", [.ref("var.private_subnet_cidrs")]), .equal, .ref("var.zone_count")), "Give one private subnet per zone (zone_count).")
                ]),
            TerraformVariable(
                name: "public_subnet_cidrs", type: strings, description: "Public subnets of the load balancer and NAT, one per zone.", value: .strings(context.publicSubnets),
                validations: [
                    (.binary(.call("length", [.ref("var.public_subnet_cidrs")]), .equal, .ref("var.zone_count")), "Give one public subnet per zone (zone_count).")
                ]),
        ]
        if !context.interfaceEndpoints.isEmpty {
            variables.append(
                TerraformVariable(
                    name: "interface_endpoints", type: strings, description: "Services reached through interface VPC endpoints in the private subnets.", value: .strings(context.interfaceEndpoints)))
        }
        variables += [
            TerraformVariable(
                name: "ami_id", type: string, description: "The gateway image (built with `gw-cli ami build`).", value: .string(compute.amiId),
                validations: [
                    (
                        .call("can", [.call("regex", [.string("^ami-[0-9a-f]{8,17}$"), .ref("var.ami_id")])]),
                        "ami_id must be an AMI id such as ami-0123456789abcdef0: build one with `gw-cli ami build` or set compute.amiId."
                    )
                ]),
            TerraformVariable(
                name: "instance_types", type: strings, description: "Instance types with NVMe instance storage; the first is the primary type.", value: .strings(compute.instanceTypes),
                validations: [
                    (.binary(.call("length", [.ref("var.instance_types")]), .greaterOrEqual, .number(1)), "Give at least one instance type.")
                ]),
            TerraformVariable(name: "on_demand_base_capacity", type: number, description: "On-demand instances before any spot capacity.", value: .integer(compute.onDemandBaseCapacity)),
            TerraformVariable(
                name: "on_demand_percentage_above_base", type: number, description: "Percentage of on-demand instances above the base (100 means no spot).",
                value: .integer(compute.onDemandPercentageAboveBase),
                validations: [
                    (
                        .binary(
                            .binary(.ref("var.on_demand_percentage_above_base"), .greaterOrEqual, .number(0)), .and, .binary(.ref("var.on_demand_percentage_above_base"), .lessOrEqual, .number(100))),
                        "on_demand_percentage_above_base must be between 0 and 100."
                    )
                ]),
            TerraformVariable(name: "spot_allocation_strategy", type: string, description: "How spot capacity is chosen.", value: .string(compute.spotAllocationStrategy)),
            TerraformVariable(
                name: "asg_min_size", type: number, description: "Minimum number of instances.", value: .integer(compute.minSize),
                validations: [
                    (.binary(.ref("var.asg_min_size"), .greaterOrEqual, .number(0)), "asg_min_size must be 0 or more.")
                ]),
            TerraformVariable(name: "asg_desired_capacity", type: number, description: "Desired number of instances.", value: .integer(compute.desiredCapacity)),
            TerraformVariable(
                name: "asg_max_size", type: number, description: "Maximum number of instances.", value: .integer(compute.maxSize),
                validations: [
                    (.binary(.ref("var.asg_max_size"), .greaterOrEqual, .number(1)), "asg_max_size must be at least 1.")
                ]),
            TerraformVariable(
                name: "health_check_grace_period", type: number, description: "Seconds after launch before load balancer health checks count.", value: .integer(compute.healthCheckGracePeriodSeconds)),
            TerraformVariable(name: "root_volume_size", type: number, description: "Root volume size in GiB.", value: .integer(compute.rootVolumeGiB)),
            TerraformVariable(name: "root_volume_type", type: string, description: "Root volume type.", value: .string(compute.rootVolumeType)),
            TerraformVariable(name: "detailed_monitoring", type: bool, description: "One-minute EC2 metrics.", value: .bool(compute.detailedMonitoring)),
        ]
        if context.sshEnabled {
            variables += [
                TerraformVariable(name: "ssh_key_name", type: string, description: "EC2 key pair for SSH.", value: .string(compute.sshKeyName)),
                TerraformVariable(
                    name: "ssh_cidrs", type: strings, description: "Networks allowed to connect with SSH.", value: .strings(compute.sshCidrs),
                    validations: [
                        (.not(.call("contains", [.ref("var.ssh_cidrs"), .string("0.0.0.0/0")])), "SSH from anywhere (0.0.0.0/0) is not allowed; use SSM Session Manager or a narrower network.")
                    ]),
            ]
        }
        variables += [
            TerraformVariable(name: "load_balancer_internal", type: bool, description: "An internal load balancer in the private subnets instead of a public one.", value: .bool(lb.internal)),
            TerraformVariable(name: "allowed_cidrs", type: strings, description: "Client networks allowed to reach the S3 endpoint.", value: .strings(lb.allowedCidrs)),
            TerraformVariable(
                name: "tls_policy", type: string, description: "TLS policy of the HTTPS listener (TLS 1.2 or newer only).", value: .string(lb.tlsPolicy),
                validations: [
                    (
                        .call("can", [.call("regex", [.string("^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-"), .ref("var.tls_policy")])]),
                        "tls_policy must allow only TLS 1.2 and newer, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06."
                    )
                ]),
            TerraformVariable(name: "deletion_protection", type: bool, description: "Protect the load balancer from deletion.", value: .bool(lb.deletionProtection)),
            TerraformVariable(name: "proxy_port", type: number, description: "Port of the balancing proxy on each instance (the target port).", value: .integer(config.proxy.listenPort)),
            TerraformVariable(name: "proxy_health_path", type: string, description: "The proxy's health path, probed by the load balancer.", value: .string(config.proxy.healthPath)),
            TerraformVariable(name: "health_check_interval", type: number, description: "Seconds between load balancer health checks.", value: .integer(lb.healthCheckIntervalSeconds)),
            TerraformVariable(name: "health_check_timeout", type: number, description: "Seconds a health check may take.", value: .integer(lb.healthCheckTimeoutSeconds)),
            TerraformVariable(name: "healthy_threshold", type: number, description: "Consecutive successes before an instance is healthy.", value: .integer(lb.healthyThreshold)),
            TerraformVariable(name: "unhealthy_threshold", type: number, description: "Consecutive failures before an instance is unhealthy.", value: .integer(lb.unhealthyThreshold)),
            TerraformVariable(
                name: "deregistration_delay", type: number, description: "Seconds a deregistering instance keeps serving requests in flight.", value: .integer(lb.deregistrationDelaySeconds)),
        ]
        if context.isALB {
            variables.append(
                TerraformVariable(
                    name: "idle_timeout", type: number, description: "Seconds a connection may stay silent (slow S3 operations such as CompleteMultipartUpload).",
                    value: .integer(lb.idleTimeoutSeconds)))
        } else {
            variables.append(TerraformVariable(name: "cross_zone_load_balancing", type: bool, description: "Spread requests across zones.", value: .bool(lb.crossZone)))
        }
        variables.append(
            TerraformVariable(name: "s3_host", type: string, description: "Host name of the S3 endpoint; buckets are also served as <bucket>.<s3_host>.", value: .string(config.dns.s3Host)))
        if context.createsRecords {
            variables.append(TerraformVariable(name: "zone_name", type: string, description: "Route53 public hosted zone of the S3 host.", value: .string(config.dns.cleanZoneName)))
        }
        if !context.createsCertificate {
            variables.append(
                TerraformVariable(
                    name: "certificate_arn", type: string, description: "Existing ACM certificate for the S3 host and its wildcard.", value: .string(config.dns.certificateArn),
                    validations: [
                        (.call("startswith", [.ref("var.certificate_arn"), .string("arn:")]), "certificate_arn must be an ACM certificate ARN.")
                    ]))
        }
        variables += [
            TerraformVariable(name: "log_retention_days", type: number, description: "Days CloudWatch keeps the deployment's logs.", value: .integer(config.monitoring.logRetentionDays)),
            TerraformVariable(name: "metrics_namespace", type: string, description: "CloudWatch namespace the proxies publish to.", value: .string(config.monitoring.namespace)),
        ]
        if context.hasAlarmTopic {
            variables.append(TerraformVariable(name: "alarm_topic_arn", type: string, description: "SNS topic the alarms notify.", value: .string(config.monitoring.alarmTopicArn)))
        }
        let rollout = config.rollout
        variables += [
            TerraformVariable(
                name: "refresh_min_healthy_percentage", type: number, description: "Share of the group kept in service while instances are replaced.", value: .integer(rollout.minHealthyPercentage)),
            TerraformVariable(
                name: "refresh_checkpoints", type: numbers, description: "Percentages of replaced instances at which a refresh pauses.",
                value: .array(RolloutCheckpoints.normalized(rollout.checkpoints).map { .integer($0) })),
            TerraformVariable(name: "refresh_checkpoint_delay", type: number, description: "Seconds a refresh waits at each checkpoint.", value: .integer(rollout.checkpointDelaySeconds)),
            TerraformVariable(name: "instance_warmup", type: number, description: "Seconds a new instance needs before it counts as in service.", value: .integer(rollout.instanceWarmupSeconds)),
            TerraformVariable(name: "refresh_auto_rollback", type: bool, description: "Roll back a failed instance refresh.", value: .bool(rollout.autoRollback)),
        ]
        return variables
    }

    /// `variables.tf`: the declarations, then the locals derived from them.
    static func declarations(_ context: TerraformContext, variables: [TerraformVariable], into module: inout TerraformModule) {
        for variable in variables { module.add(variable.block, to: "variables.tf") }
        var locals = HCLBlock("locals")
        locals["name"] = .string(context.names.prefix)
        locals["parameter_path"] = .string(context.names.parameterPath)
        locals.separator()
        locals["tags"] = .call(
            "merge",
            [
                .ref("var.tags"),
                .object([
                    ("Project", .string(context.config.project.name)),
                    ("Environment", .string(context.config.project.environment)),
                    ("Deployment", .string(context.names.deployment)),
                    ("ManagedBy", .string("gw-cli")),
                ]),
            ])
        module.add(locals, to: "variables.tf")
    }

    /// `terraform.tfvars.json`.
    static func values(_ variables: [TerraformVariable]) -> String {
        JSONValue.object(Dictionary(uniqueKeysWithValues: variables.map { ($0.name, $0.value) })).text
    }
}
