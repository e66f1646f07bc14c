/// How Packer builds the node image (AMI).
public struct ImageBuildSettings: Codable, Sendable, Equatable {
    /// Name filter of the base image (Ubuntu minimal LTS).
    public var baseImageFilter: String
    /// Owner account of the base image (Canonical).
    public var baseImageOwner: String
    /// Instance type of the build instance; empty uses the primary instance type.
    public var buildInstanceType: String
    /// Root volume of the image in GiB.
    public var rootVolumeGiB: Int
    /// Prefix of the AMI name (`<prefix>-<project>-<timestamp>`).
    public var namePrefix: String
    /// Pinned LucidLink client version (matching each filespace's major version).
    public var lucidLinkVersion: String
    /// SHA-256 of the LucidLink client package.
    public var lucidLinkSha256: String

    /// Creates image build settings with the defaults.
    public init(
        baseImageFilter: String = "ubuntu-minimal/images/hvm-ssd-gp3/ubuntu-noble-24.04-*-minimal-*",
        baseImageOwner: String = "099720109477",
        buildInstanceType: String = "",
        rootVolumeGiB: Int = 40,
        namePrefix: String = "ll-s3-gw",
        lucidLinkVersion: String = "latest",
        lucidLinkSha256: String = ""
    ) {
        self.baseImageFilter = baseImageFilter
        self.baseImageOwner = baseImageOwner
        self.buildInstanceType = buildInstanceType
        self.rootVolumeGiB = rootVolumeGiB
        self.namePrefix = namePrefix
        self.lucidLinkVersion = lucidLinkVersion
        self.lucidLinkSha256 = lucidLinkSha256
    }
}
