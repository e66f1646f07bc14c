extension NodeConfig {
    /// Where the node reads its secrets from.
    public enum SecretPlacement: Sendable {
        /// From the deployment's SSM parameters (what instances on AWS use; see `gw-cli secrets push`).
        case parameterStore
        /// The references exactly as in the deployment config (for tests and non-AWS hosts).
        case asConfigured
    }

    /// The directory under which filespaces are mounted: `/media/lucidlink/<mountName>`.
    public static let filespaceMountRoot = "/media/lucidlink"

    /// Derives what one instance needs from the deployment config.
    /// - Parameters:
    ///   - deployment: The validated deployment config.
    ///   - secrets: Where the node reads secrets from; on AWS, the deployment's SSM parameters.
    public init(deployment config: GatewayConfig, secrets: SecretPlacement = .parameterStore) {
        let names = config.names
        func reference(_ secret: Secret, at path: String) -> Secret {
            switch secrets {
            case .asConfigured: secret
            case .parameterStore: Secret(source: .ssmParameter(names.parameterName(forSecretAt: path)))
            }
        }
        var v2Count = 0
        var v3Count = 0
        let filespaces = config.filespaces.enumerated().map { index, filespace in
            let instanceId: Int
            if filespace.clientVersion == 2 {
                instanceId = 501 + v2Count
                v2Count += 1
            } else {
                instanceId = 2001 + v3Count
                v3Count += 1
            }
            let mountName = filespace.effectiveMountName
            return NodeFilespace(
                name: filespace.name,
                user: filespace.user,
                password: reference(filespace.password, at: "filespaces[\(index)].password"),
                rootPoint: filespace.rootPoint,
                clientVersion: filespace.clientVersion,
                mountName: mountName,
                mountPoint: "\(Self.filespaceMountRoot)/\(mountName)",
                instanceId: instanceId
            )
        }
        let firstMount = filespaces.first?.mountPoint ?? Self.filespaceMountRoot
        let gateway = config.gateway
        let dataRoot: String
        let iamDir: String
        switch gateway.buckets {
        case .folders:
            dataRoot = gateway.dataRoot.isEmpty ? firstMount : gateway.dataRoot
            iamDir = gateway.iamDir.isEmpty ? "\(firstMount)/.vgw" : gateway.iamDir
        case .filespaces:
            // The mounts are the buckets; an IAM directory on one of them would be served as objects.
            dataRoot = Self.filespaceMountRoot
            iamDir = gateway.iamDir
        }
        let gateways = NodeGateways(
            ports: gateway.ports,
            rootAccessKey: reference(gateway.rootAccessKey, at: "gateway.rootAccessKey"),
            rootSecretKey: reference(gateway.rootSecretKey, at: "gateway.rootSecretKey"),
            dataRoot: dataRoot,
            iamDir: iamDir,
            virtualDomain: gateway.virtualDomain.isEmpty ? config.dns.s3Host : gateway.virtualDomain,
            healthPath: gateway.healthPath,
            environment: gateway.environment
        )
        self.init(
            deployment: names.deployment,
            region: config.project.region,
            storage: config.storage,
            filespaces: filespaces,
            gateways: gateways,
            proxy: config.proxy,
            metrics: NodeMetrics(
                cloudWatch: config.monitoring.cloudWatch,
                namespace: config.monitoring.namespace,
                publishIntervalSeconds: config.monitoring.publishIntervalSeconds,
                prometheus: config.monitoring.prometheus
            )
        )
    }
}
