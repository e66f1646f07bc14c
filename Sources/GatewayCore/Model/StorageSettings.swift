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

    /// Creates storage settings with the reference defaults.
    public init(
        cacheMountPoint: String = "/data",
        filesystem: String = "xfs",
        mountOptions: String = "defaults,noatime,largeio,swalloc",
        raidChunkKiB: Int = 256,
        cacheSharePercent: Int = 80,
        cacheMinGiB: Int = 10,
        cacheMaxGiB: Int = 600
    ) {
        self.cacheMountPoint = cacheMountPoint
        self.filesystem = filesystem
        self.mountOptions = mountOptions
        self.raidChunkKiB = raidChunkKiB
        self.cacheSharePercent = cacheSharePercent
        self.cacheMinGiB = cacheMinGiB
        self.cacheMaxGiB = cacheMaxGiB
    }
}
