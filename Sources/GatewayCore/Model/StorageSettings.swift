/// The LucidLink cache on the instance store: RAID 0 over the NVMe devices, a filesystem, a mount.
public struct StorageSettings: Codable, Sendable, Equatable {
    /// Where the cache filesystem is mounted (reference `/data`).
    public var cacheMountPoint: String
    /// Filesystem of the cache (reference: xfs).
    public var filesystem: String
    /// Mount options (reference: `defaults,noatime,largeio,swalloc`).
    public var mountOptions: String
    /// RAID 0 chunk size in KiB, also the XFS stripe unit (reference `su=256k`).
    public var raidChunkKiB: Int
    /// Percentage of the cache filesystem's free space given to LucidLink (reference: 80).
    public var cacheSharePercent: Int
    /// Lower bound of the cache size in GiB (reference: 10).
    public var cacheMinGiB: Int
    /// Upper bound of the cache size in GiB (reference: 600).
    public var cacheMaxGiB: Int
    /// Devices for the cache, e.g. `[/dev/nvme1n1, /dev/nvme2n1]`; empty (the default) uses every NVMe
    /// instance-storage device the node finds.
    public var devices: [String]
    /// The `lsblk` model of the instance-storage devices the cache uses when `devices` is empty. The
    /// default is EC2's; other machines report their own (QEMU's virtual NVMe disks: `QEMU NVMe Ctrl`).
    public var instanceStoreModel: String

    /// The model EC2 reports for NVMe instance storage.
    public static let ec2InstanceStoreModel = "Amazon EC2 NVMe Instance Storage"

    /// Creates storage settings with the reference defaults.
    public init(
        cacheMountPoint: String = "/data",
        filesystem: String = "xfs",
        mountOptions: String = "defaults,noatime,largeio,swalloc",
        raidChunkKiB: Int = 256,
        cacheSharePercent: Int = 80,
        cacheMinGiB: Int = 10,
        cacheMaxGiB: Int = 600,
        devices: [String] = [],
        instanceStoreModel: String = StorageSettings.ec2InstanceStoreModel
    ) {
        self.cacheMountPoint = cacheMountPoint
        self.filesystem = filesystem
        self.mountOptions = mountOptions
        self.raidChunkKiB = raidChunkKiB
        self.cacheSharePercent = cacheSharePercent
        self.cacheMinGiB = cacheMinGiB
        self.cacheMaxGiB = cacheMaxGiB
        self.devices = devices
        self.instanceStoreModel = instanceStoreModel
    }

    private enum CodingKeys: String, CodingKey {
        case cacheMountPoint, filesystem, mountOptions, raidChunkKiB, cacheSharePercent, cacheMinGiB, cacheMaxGiB, devices, instanceStoreModel
    }

    /// Decodes settings; `devices` and `instanceStoreModel` may be absent (node configs written before
    /// they existed).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        cacheMountPoint = try container.decode(String.self, forKey: .cacheMountPoint)
        filesystem = try container.decode(String.self, forKey: .filesystem)
        mountOptions = try container.decode(String.self, forKey: .mountOptions)
        raidChunkKiB = try container.decode(Int.self, forKey: .raidChunkKiB)
        cacheSharePercent = try container.decode(Int.self, forKey: .cacheSharePercent)
        cacheMinGiB = try container.decode(Int.self, forKey: .cacheMinGiB)
        cacheMaxGiB = try container.decode(Int.self, forKey: .cacheMaxGiB)
        devices = try container.decodeIfPresent([String].self, forKey: .devices) ?? []
        instanceStoreModel = try container.decodeIfPresent(String.self, forKey: .instanceStoreModel) ?? Self.ec2InstanceStoreModel
    }
}
