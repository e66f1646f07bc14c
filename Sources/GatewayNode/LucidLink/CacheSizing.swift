import Foundation
import GatewayCore

/// The LucidLink data cache size: the configured share of the cache filesystem, split between the
/// filespaces, in whole GiB, clamped to the configured bounds (reference: 80 %, 10-600 GiB).
///
/// On a dedicated cache filesystem (instance store) the basis is its capacity, which is its free space
/// when fresh and stays the same as the cache fills, so a second apply sets the same size. On the
/// root-volume fallback the basis is the current free space.
public enum CacheSizing {
    /// The size in GiB for one filespace.
    public static func sizeGiB(basisBytes: UInt64, storage: StorageSettings, filespaces: Int) -> Int {
        let share = Double(basisBytes) * Double(storage.cacheSharePercent) / 100 / Double(max(1, filespaces))
        let gib = Int((share / Double(UInt64(1) << 30)).rounded(.down))
        return min(max(gib, storage.cacheMinGiB), storage.cacheMaxGiB)
    }

    /// The basis in bytes of a mounted path: capacity (dedicated filesystem) or free space (root volume).
    static func basisBytes(of path: String, dedicated: Bool) throws(StepError) -> UInt64 {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else {
            throw .fileSystem(path: path, reason: "cannot read its filesystem size: \(String(cString: strerror(errno)))")
        }
        let blocks = dedicated ? UInt64(info.f_blocks) : UInt64(info.f_bavail)
        return blocks * UInt64(info.f_frsize)
    }
}
