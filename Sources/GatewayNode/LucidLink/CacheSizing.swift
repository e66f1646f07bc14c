import Foundation
import GatewayCore

/// The LucidLink data cache size, computed exactly as the unit's `lucidlink-cache` helper computes it
/// at every daemon start: each filespace gets `cacheSharePercent / filespaces` percent (whole percent,
/// at least 1) of the cache filesystem's capacity (`df --output=size`), in whole GiB, clamped to the
/// configured bounds (reference: 80 %, 10-600 GiB). The capacity does not change as the cache fills,
/// so the size is the same at every start.
public enum CacheSizing {
    /// The percent of the capacity one filespace gets.
    public static func sharePercent(storage: StorageSettings, filespaces: Int) -> Int {
        max(1, storage.cacheSharePercent / max(1, filespaces))
    }

    /// The size in GiB for one filespace.
    public static func sizeGiB(capacityBytes: UInt64, storage: StorageSettings, filespaces: Int) -> Int {
        let kibibytes = capacityBytes / 1024
        let gib = Int(kibibytes * UInt64(sharePercent(storage: storage, filespaces: filespaces)) / 100 / 1024 / 1024)
        return min(max(gib, storage.cacheMinGiB), storage.cacheMaxGiB)
    }

    /// The capacity in bytes of the filesystem holding a path (what `df --output=size` reports).
    static func capacityBytes(of path: String) throws(StepError) -> UInt64 {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else {
            throw .fileSystem(path: path, reason: "cannot read its filesystem size: \(String(cString: strerror(errno)))")
        }
        return UInt64(info.f_blocks) * UInt64(info.f_frsize)
    }
}
