/// The parts of a node's setup, in the order they run. `--only` selects some of them.
public enum NodePhase: String, Sendable, Codable, CaseIterable, Comparable {
    /// The service account, network tuning and FUSE settings.
    case host
    /// The cache: RAID 0 over the instance store, the filesystem, the mount.
    case storage
    /// One LucidLink daemon per filespace, linked and mounted, its cache configured.
    case lucidlink
    /// The VersityGW instances.
    case gateways
    /// The balancing proxy.
    case proxy

    /// Position in the setup order.
    var order: Int {
        switch self {
        case .host: 0
        case .storage: 1
        case .lucidlink: 2
        case .gateways: 3
        case .proxy: 4
        }
    }

    public static func < (lhs: NodePhase, rhs: NodePhase) -> Bool { lhs.order < rhs.order }
}
