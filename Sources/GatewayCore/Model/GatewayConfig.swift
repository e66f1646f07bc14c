/// The whole deployment, as one value: everything the reference system spread over `config_vars.txt`,
/// Terraform variables, Packer variables and the web UI.
///
/// Every field has a default that reproduces the reference deployment, so a config file only needs the
/// settings that differ (and the ones that have no sensible default, such as the filespace and domain).
/// Load one with ``ConfigLoader``, check it with ``ConfigValidator``, and derive what one instance needs
/// at boot with ``NodeConfig/init(deployment:)``.
public struct GatewayConfig: Codable, Sendable, Equatable {
    /// Name, environment, region and tags.
    public var project: ProjectSettings
    /// How terraform and the AWS client authenticate (profile or keys); empty means the SDK chain.
    public var aws: AWSAccessSettings
    /// VPC, subnets, NAT and VPC endpoints.
    public var network: NetworkSettings
    /// Instance types, Auto Scaling Group bounds, root volume, AMI.
    public var compute: ComputeSettings
    /// The S3 load balancer (ALB or NLB) and its health check.
    public var loadBalancer: LoadBalancerSettings
    /// Hosted zone, S3 host names and the TLS certificate.
    public var dns: DNSSettings
    /// The LucidLink filespaces mounted on every instance (at least one).
    public var filespaces: [FilespaceSettings]
    /// The VersityGW S3 gateways on every instance.
    public var gateway: GatewaySettings
    /// The balancing proxy in front of the gateways.
    public var proxy: ProxySettings
    /// Instance-store cache: RAID, filesystem, mount and cache sizing.
    public var storage: StorageSettings
    /// CloudWatch and Prometheus.
    public var monitoring: MonitoringSettings
    /// How the node image (AMI) is built.
    public var image: ImageBuildSettings
    /// Where terraform keeps its state.
    public var state: StateBackendSettings
    /// Rolling AMI updates.
    public var rollout: RolloutSettings

    /// Creates a config; every argument defaults to the reference deployment's value.
    public init(
        project: ProjectSettings = .init(),
        aws: AWSAccessSettings = .init(),
        network: NetworkSettings = .init(),
        compute: ComputeSettings = .init(),
        loadBalancer: LoadBalancerSettings = .init(),
        dns: DNSSettings = .init(),
        filespaces: [FilespaceSettings] = [.init()],
        gateway: GatewaySettings = .init(),
        proxy: ProxySettings = .init(),
        storage: StorageSettings = .init(),
        monitoring: MonitoringSettings = .init(),
        image: ImageBuildSettings = .init(),
        state: StateBackendSettings = .init(),
        rollout: RolloutSettings = .init()
    ) {
        self.project = project
        self.aws = aws
        self.network = network
        self.compute = compute
        self.loadBalancer = loadBalancer
        self.dns = dns
        self.filespaces = filespaces
        self.gateway = gateway
        self.proxy = proxy
        self.storage = storage
        self.monitoring = monitoring
        self.image = image
        self.state = state
        self.rollout = rollout
    }
}

extension GatewayConfig {
    /// Every secret in the config with the key path it sits at, e.g. `filespaces[0].password`.
    public var secrets: [(path: String, secret: Secret)] {
        var all: [(String, Secret)] = [
            ("aws.accessKeyId", aws.accessKeyId),
            ("aws.secretAccessKey", aws.secretAccessKey),
            ("gateway.rootAccessKey", gateway.rootAccessKey),
            ("gateway.rootSecretKey", gateway.rootSecretKey),
        ]
        for (index, filespace) in filespaces.enumerated() {
            all.append(("filespaces[\(index)].password", filespace.password))
        }
        return all.map { (path: $0.0, secret: $0.1) }
    }

    /// The names of the AWS resources and SSM paths this deployment uses, derived in one place.
    public var names: DeploymentNames { DeploymentNames(project: project) }
}
