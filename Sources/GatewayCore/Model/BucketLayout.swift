/// How the S3 buckets map to the LucidLink filespaces (`gateway.buckets`).
public enum BucketLayout: String, Codable, Sendable, Equatable, CaseIterable {
    /// The buckets are the folders of one directory on a filespace: `gateway.dataRoot`, by default the
    /// first filespace's mount. Creating a bucket creates a folder there.
    case folders
    /// Every filespace is one bucket, named by its mount name: the gateways serve the directory that
    /// holds the mounts (``NodeConfig/filespaceMountRoot``), so a bucket is a filespace's root point.
    /// Buckets cannot be created or deleted over S3, and the gateways run without an internal IAM
    /// directory (it would sit inside a bucket, readable as objects): the root account only.
    case filespaces

    /// The layout of a config file that does not choose one: `filespaces` when it mounts more than one
    /// filespace and names no data root (so that every filespace is served), else `folders`.
    public static func `default`(filespaceCount: Int, dataRoot: String) -> BucketLayout {
        filespaceCount > 1 && dataRoot.isEmpty ? .filespaces : .folders
    }
}
