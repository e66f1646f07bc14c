/// What S3 clients see of the filespaces: the buckets, and where each one's objects live. Derived
/// from the config (``GatewayConfig/bucketMapping``), shown by the terraform outputs and the render
/// summary, and used by the validator.
public struct BucketMapping: Sendable, Equatable {
    /// One bucket that is a whole filespace (``BucketLayout/filespaces``).
    public struct FilespaceBucket: Sendable, Equatable {
        /// The bucket name: the filespace's mount name.
        public var bucket: String
        /// The filespace, e.g. `media.acme`.
        public var filespace: String
        /// The folder of the filespace that is mounted (and so is the bucket's content).
        public var rootPoint: String
        /// Where the filespace is mounted on each instance.
        public var mountPoint: String
    }

    /// The layout in effect.
    public var layout: BucketLayout
    /// The directory the gateways serve: its folders are the buckets.
    public var gatewayRoot: String
    /// With ``BucketLayout/filespaces``: one bucket per filespace, in config order; empty otherwise.
    public var filespaceBuckets: [FilespaceBucket]
    /// With ``BucketLayout/folders``: the filespace that holds the gateway root (nil when the root is
    /// on none, which validation reports).
    public var folderFilespace: String?

    /// The mapping of a config (validated or not: it only derives).
    public init(config: GatewayConfig) {
        let node = NodeConfig(deployment: config, secrets: .asConfigured)
        layout = config.gateway.buckets
        gatewayRoot = node.gateways.dataRoot
        switch layout {
        case .filespaces:
            filespaceBuckets = node.filespaces.map {
                FilespaceBucket(bucket: $0.mountName, filespace: $0.name, rootPoint: $0.rootPoint, mountPoint: $0.mountPoint)
            }
            folderFilespace = nil
        case .folders:
            filespaceBuckets = []
            folderFilespace =
                node.filespaces.first { filespace in
                    gatewayRoot == filespace.mountPoint || gatewayRoot.hasPrefix(filespace.mountPoint + "/")
                }?.name
        }
    }

    /// One line for people: `buckets: media = media.acme:/, ...` or `buckets: the folders of ...`.
    public var summary: String {
        switch layout {
        case .filespaces:
            "one bucket per filespace: " + filespaceBuckets.map { "\($0.bucket) = \($0.filespace):\($0.rootPoint)" }.joined(separator: ", ")
        case .folders:
            "the folders of \(gatewayRoot)" + (folderFilespace.map { " (filespace \($0))" } ?? "")
        }
    }
}

extension GatewayConfig {
    /// The buckets S3 clients see and where they live.
    public var bucketMapping: BucketMapping { BucketMapping(config: self) }
}
