import GatewayCore

/// Values derived once from the config for every Terraform file.
struct TerraformContext {
    let config: GatewayConfig
    let names: DeploymentNames
    /// How many zones the deployment spans (2 or 3).
    let zoneCount: Int
    /// The zones the config names; empty: Terraform takes the region's first available zones.
    let namedZones: [String]
    let privateSubnets: [String]
    let publicSubnets: [String]
    let natGatewayCount: Int
    let interfaceEndpoints: [String]
    let isALB: Bool
    /// The load balancer writes access logs to the deployment's bucket (`access-logs.tf`).
    let accessLogs: Bool
    let createsCertificate: Bool
    let validatesByDNS: Bool
    let createsRecords: Bool
    let cloudWatch: Bool
    let alarms: Bool
    let sshEnabled: Bool
    let hasAlarmTopic: Bool
    /// The CloudWatch agent imports the proxies' Prometheus request counts.
    let importsProxyMetrics: Bool

    /// The file user data is read from, relative to the terraform directory.
    static let userDataPath = "../node/user-data.sh"

    init(config: GatewayConfig) throws(BundleRenderError) {
        self.config = config
        names = config.names
        let network = config.network
        let zoneCount = network.effectiveZoneCount(region: config.project.region)
        self.zoneCount = zoneCount
        namedZones = network.availabilityZones
        guard let vpc = IPv4CIDR(network.vpcCidr) else {
            throw BundleRenderError(path: "network.vpcCidr", message: "\"\(network.vpcCidr)\" is not an IPv4 CIDR", hint: "validate the config and fix it")
        }
        func derive(_ given: [String], newBits: Int, offset: Int, path: String) throws(BundleRenderError) -> [String] {
            if !given.isEmpty { return given }
            var result: [String] = []
            for index in 0..<zoneCount {
                guard let subnet = vpc.subnet(newBits: newBits, number: offset + index) else {
                    throw BundleRenderError(path: path, message: "cannot derive subnet \(index) from \(network.vpcCidr)", hint: "give the subnets explicitly")
                }
                result.append(subnet.description)
            }
            return result
        }
        privateSubnets = try derive(network.privateSubnets, newBits: 2, offset: 0, path: "network.privateSubnets")
        publicSubnets = try derive(network.publicSubnets, newBits: 4, offset: 12, path: "network.publicSubnets")
        guard NetworkSettings.allowedZoneCounts.contains(zoneCount), privateSubnets.count == zoneCount, publicSubnets.count == zoneCount else {
            throw BundleRenderError(path: "network", message: "the network needs 2 or 3 zones and one private and one public subnet per zone", hint: "validate the config and fix it")
        }
        switch network.natGateways {
        case .none: natGatewayCount = 0
        case .single: natGatewayCount = 1
        case .perZone: natGatewayCount = zoneCount
        }
        interfaceEndpoints = network.endpoints.interfaces
        isALB = config.loadBalancer.type == .alb
        accessLogs = config.loadBalancer.accessLogs
        createsCertificate = config.dns.certificate == .create
        validatesByDNS = createsCertificate && config.dns.validationMethod == .dns
        createsRecords = config.dns.createRecords
        cloudWatch = config.monitoring.cloudWatch
        alarms = config.monitoring.alarms
        sshEnabled = !config.compute.sshKeyName.isEmpty
        hasAlarmTopic = !config.monitoring.alarmTopicArn.isEmpty
        importsProxyMetrics = CloudWatchAgentConfig.importsProxyMetrics(config)
        if validatesByDNS && !createsRecords {
            throw BundleRenderError(
                path: "dns.createRecords", message: "DNS validation of the certificate needs the validation records",
                hint: "set dns.createRecords to true, or use EMAIL validation or an existing certificate")
        }
    }

    /// The certificate the TLS listener uses: the *validated* one when it is created here.
    var listenerCertificate: HCLExpression {
        createsCertificate ? .ref("aws_acm_certificate_validation.s3.certificate_arn") : .ref("var.certificate_arn")
    }

    /// `"<prefix>-<suffix>"`.
    func name(_ suffix: String) -> HCLExpression { .string("\(names.prefix)-\(suffix)") }

    /// The ARN of one of the deployment's log groups.
    func logGroupARN(_ resource: String) -> HCLExpression { .ref("aws_cloudwatch_log_group.\(resource).arn") }

    /// `arn:<partition>:<service>:<region>:<account>:<rest>`.
    func arn(_ service: String, _ rest: [any HCLTemplatePartConvertible], regional: Bool = true) -> HCLExpression {
        var parts: [any HCLTemplatePartConvertible] = ["arn:", HCLExpression.ref("data.aws_partition.current.partition"), ":\(service):"]
        if regional { parts.append(HCLExpression.ref("var.region")) }
        parts += [":", HCLExpression.ref("data.aws_caller_identity.current.account_id"), ":"]
        parts += rest
        return .template(parts.map(\.templatePart))
    }

    /// The load balancer's CloudWatch namespace.
    var loadBalancerNamespace: String { isALB ? "AWS/ApplicationELB" : "AWS/NetworkELB" }
}
