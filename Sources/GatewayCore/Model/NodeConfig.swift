/// What one gateway instance needs at boot: the cache storage, the LucidLink filespaces, the VersityGW
/// gateways, the balancing proxy and metrics. Rendered into `node.json` and read by the node runtime.
///
/// Derive it from the deployment with ``init(deployment:secrets:)``; it carries secret *references*
/// only (on AWS: SSM parameters the instance role may read), never values.
public struct NodeConfig: Codable, Sendable, Equatable {
    /// Format version of this file.
    public var version: Int
    /// `<project>-<environment>`.
    public var deployment: String
    /// AWS region of the deployment.
    public var region: String
    /// The cache storage.
    public var storage: StorageSettings
    /// The filespaces to mount, in order.
    public var filespaces: [NodeFilespace]
    /// The gateways to run.
    public var gateways: NodeGateways
    /// The balancing proxy.
    public var proxy: ProxySettings
    /// Metrics publication.
    public var metrics: NodeMetrics

    /// The current format version.
    public static let currentVersion = 1

    /// Creates a node config from its parts.
    public init(
        version: Int = NodeConfig.currentVersion,
        deployment: String,
        region: String,
        storage: StorageSettings = .init(),
        filespaces: [NodeFilespace],
        gateways: NodeGateways,
        proxy: ProxySettings = .init(),
        metrics: NodeMetrics = .init()
    ) {
        self.version = version
        self.deployment = deployment
        self.region = region
        self.storage = storage
        self.filespaces = filespaces
        self.gateways = gateways
        self.proxy = proxy
        self.metrics = metrics
    }
}

/// One filespace as the node mounts it.
public struct NodeFilespace: Codable, Sendable, Equatable {
    /// Filespace name, e.g. `mycompany.dmpfs`.
    public var name: String
    /// LucidLink user.
    public var user: String
    /// Password reference (an `ssm:` parameter on AWS).
    public var password: Secret
    /// Root point inside the filespace.
    public var rootPoint: String
    /// Client major version, 2 or 3.
    public var clientVersion: Int
    /// Unique short name (unit names, directories).
    public var mountName: String
    /// Where the filespace is mounted.
    public var mountPoint: String
    /// The LucidLink daemon instance id (v2: 501+, v3: 2001+).
    public var instanceId: Int

    /// Creates a node filespace.
    public init(name: String, user: String, password: Secret, rootPoint: String, clientVersion: Int, mountName: String, mountPoint: String, instanceId: Int) {
        self.name = name
        self.user = user
        self.password = password
        self.rootPoint = rootPoint
        self.clientVersion = clientVersion
        self.mountName = mountName
        self.mountPoint = mountPoint
        self.instanceId = instanceId
    }

    /// The client binary for the version: `/usr/bin/lucid2` or `/usr/local/bin/lucid3`.
    public var clientBinary: String { clientVersion == 2 ? "/usr/bin/lucid2" : "/usr/local/bin/lucid3" }
}

/// The VersityGW processes on the node.
public struct NodeGateways: Codable, Sendable, Equatable {
    /// Ports, one process each.
    public var ports: [Int]
    /// Root access key reference.
    public var rootAccessKey: Secret
    /// Root secret key reference.
    public var rootSecretKey: Secret
    /// The directory served as the S3 root.
    public var dataRoot: String
    /// The internal IAM directory (on a filespace; created after the mount).
    public var iamDir: String
    /// Virtual-host domain.
    public var virtualDomain: String
    /// Health path of each gateway.
    public var healthPath: String
    /// Extra environment.
    public var environment: StringMap

    /// Creates the gateways section.
    public init(ports: [Int], rootAccessKey: Secret, rootSecretKey: Secret, dataRoot: String, iamDir: String, virtualDomain: String, healthPath: String, environment: StringMap = [:]) {
        self.ports = ports
        self.rootAccessKey = rootAccessKey
        self.rootSecretKey = rootSecretKey
        self.dataRoot = dataRoot
        self.iamDir = iamDir
        self.virtualDomain = virtualDomain
        self.healthPath = healthPath
        self.environment = environment
    }
}

/// Metrics publication from the node.
public struct NodeMetrics: Codable, Sendable, Equatable {
    /// Publish to CloudWatch.
    public var cloudWatch: Bool
    /// CloudWatch namespace.
    public var namespace: String
    /// Seconds between publications.
    public var publishIntervalSeconds: Int
    /// Serve Prometheus metrics on the proxy's metrics port.
    public var prometheus: Bool

    /// Creates metrics settings.
    public init(cloudWatch: Bool = true, namespace: String = "S3Gateway", publishIntervalSeconds: Int = 60, prometheus: Bool = true) {
        self.cloudWatch = cloudWatch
        self.namespace = namespace
        self.publishIntervalSeconds = publishIntervalSeconds
        self.prometheus = prometheus
    }
}
