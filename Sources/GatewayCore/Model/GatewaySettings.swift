/// The VersityGW S3 gateways on each instance (posix backend on the LucidLink mount).
public struct GatewaySettings: Codable, Sendable, Equatable {
    /// Gateway processes per instance (reference: 3).
    public var instancesPerNode: Int
    /// Port of the first gateway; the others follow (reference: 7070, 7071, 7072).
    public var firstPort: Int
    /// Root access key (reference `ROOT_ACCESS_KEY`).
    public var rootAccessKey: Secret
    /// Root secret key (reference `ROOT_SECRET_KEY`).
    public var rootSecretKey: Secret
    /// How buckets map to filespaces: the folders of one directory, or one bucket per filespace.
    /// A config file that does not set it gets ``BucketLayout/default(filespaceCount:dataRoot:)``.
    public var buckets: BucketLayout
    /// VersityGW internal IAM directory, on a filespace; empty derives `<first mount>/.vgw` with
    /// ``BucketLayout/folders`` and means none (the root account only) with ``BucketLayout/filespaces``.
    public var iamDir: String
    /// With ``BucketLayout/folders``, the directory whose folders are the buckets; empty means the
    /// first filespace's mount. Empty with ``BucketLayout/filespaces``.
    public var dataRoot: String
    /// Domain for virtual-host-style buckets; empty derives the S3 host (`s3.<zone>`).
    public var virtualDomain: String
    /// Health path each gateway answers (`VGW_HEALTH`).
    public var healthPath: String
    /// Pinned VersityGW release.
    public var version: String
    /// SHA-256 of the release package; checked at image build.
    public var sha256: String
    /// Extra environment variables for the gateways.
    public var environment: StringMap

    /// Creates gateway settings with the reference defaults.
    public init(
        instancesPerNode: Int = 3,
        firstPort: Int = 7070,
        rootAccessKey: Secret = .unset,
        rootSecretKey: Secret = .unset,
        buckets: BucketLayout = .folders,
        iamDir: String = "",
        dataRoot: String = "",
        virtualDomain: String = "",
        healthPath: String = "/health",
        version: String = "1.0.14",
        sha256: String = "",
        environment: StringMap = [:]
    ) {
        self.instancesPerNode = instancesPerNode
        self.firstPort = firstPort
        self.rootAccessKey = rootAccessKey
        self.rootSecretKey = rootSecretKey
        self.buckets = buckets
        self.iamDir = iamDir
        self.dataRoot = dataRoot
        self.virtualDomain = virtualDomain
        self.healthPath = healthPath
        self.version = version
        self.sha256 = sha256
        self.environment = environment
    }

    /// The ports of the gateways on one instance.
    /// Empty when the count or the first port is out of range (validation reports it).
    public var ports: [Int] {
        guard (1...Self.maximumInstancesPerNode).contains(instancesPerNode), (0...65535).contains(firstPort) else { return [] }
        return (0..<instancesPerNode).map { firstPort + $0 }
    }

    /// The most gateway processes one instance runs.
    public static let maximumInstancesPerNode = 16
}
