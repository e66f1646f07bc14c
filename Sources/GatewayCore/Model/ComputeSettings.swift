/// The Auto Scaling Group of gateway instances.
public struct ComputeSettings: Codable, Sendable, Equatable {
    /// Instance types, all with NVMe instance storage. The first is the primary type; the rest are
    /// mixed-instances overrides. Reference: `c6id.4xlarge`.
    public var instanceTypes: [String]
    /// On-demand instances before any spot capacity.
    public var onDemandBaseCapacity: Int
    /// Percentage of on-demand instances above the base (100 means no spot).
    public var onDemandPercentageAboveBase: Int
    /// Spot allocation strategy when spot is used.
    public var spotAllocationStrategy: String
    /// Auto Scaling Group minimum size.
    public var minSize: Int
    /// Auto Scaling Group desired capacity.
    public var desiredCapacity: Int
    /// Auto Scaling Group maximum size.
    public var maxSize: Int
    /// Root volume size in GiB.
    public var rootVolumeGiB: Int
    /// Root volume type.
    public var rootVolumeType: String
    /// The AMI to launch; empty means "use the image built by `gw-cli ami build`".
    public var amiId: String
    /// Seconds the ASG waits before health checks count.
    public var healthCheckGracePeriodSeconds: Int
    /// Detailed (1-minute) EC2 monitoring.
    public var detailedMonitoring: Bool
    /// EC2 key pair for SSH; empty means no SSH (SSM only).
    public var sshKeyName: String
    /// CIDRs allowed to SSH; only used with a key pair.
    public var sshCidrs: [String]

    /// Creates compute settings with the reference defaults.
    public init(
        instanceTypes: [String] = ["c6id.4xlarge"],
        onDemandBaseCapacity: Int = 1,
        onDemandPercentageAboveBase: Int = 100,
        spotAllocationStrategy: String = "price-capacity-optimized",
        minSize: Int = 1,
        desiredCapacity: Int = 1,
        maxSize: Int = 3,
        rootVolumeGiB: Int = 40,
        rootVolumeType: String = "gp3",
        amiId: String = "",
        healthCheckGracePeriodSeconds: Int = 1200,
        detailedMonitoring: Bool = true,
        sshKeyName: String = "",
        sshCidrs: [String] = []
    ) {
        self.instanceTypes = instanceTypes
        self.onDemandBaseCapacity = onDemandBaseCapacity
        self.onDemandPercentageAboveBase = onDemandPercentageAboveBase
        self.spotAllocationStrategy = spotAllocationStrategy
        self.minSize = minSize
        self.desiredCapacity = desiredCapacity
        self.maxSize = maxSize
        self.rootVolumeGiB = rootVolumeGiB
        self.rootVolumeType = rootVolumeType
        self.amiId = amiId
        self.healthCheckGracePeriodSeconds = healthCheckGracePeriodSeconds
        self.detailedMonitoring = detailedMonitoring
        self.sshKeyName = sshKeyName
        self.sshCidrs = sshCidrs
    }

    /// The primary instance type (the first of ``instanceTypes``).
    public var primaryInstanceType: String { instanceTypes.first ?? "" }
}
