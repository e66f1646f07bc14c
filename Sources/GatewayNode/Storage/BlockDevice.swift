/// One block device as `lsblk` reports it, with its children (partitions, RAID arrays on it).
public struct BlockDevice: Sendable, Equatable {
    /// Kernel name, e.g. `nvme1n1`.
    public var name: String
    /// Device path, e.g. `/dev/nvme1n1`.
    public var path: String
    /// `disk`, `part`, `loop`, `raid0`, …
    public var type: String
    /// Size in bytes.
    public var size: UInt64
    /// Model string, trimmed (e.g. `Amazon EC2 NVMe Instance Storage`).
    public var model: String?
    /// Serial number, trimmed.
    public var serial: String?
    /// Filesystem or other signature type (`xfs`, `linux_raid_member`, …).
    public var filesystemType: String?
    /// Filesystem label (for RAID members: the array name).
    public var label: String?
    /// Filesystem UUID (for RAID members: the array UUID).
    public var uuid: String?
    /// Where it is mounted.
    public var mountPoints: [String]
    /// Partitions, arrays and other devices built on it.
    public var children: [BlockDevice]

    /// Creates a device record.
    public init(
        name: String, path: String, type: String, size: UInt64, model: String? = nil, serial: String? = nil, filesystemType: String? = nil, label: String? = nil, uuid: String? = nil,
        mountPoints: [String] = [], children: [BlockDevice] = []
    ) {
        self.name = name
        self.path = path
        self.type = type
        self.size = size
        self.model = model
        self.serial = serial
        self.filesystemType = filesystemType
        self.label = label
        self.uuid = uuid
        self.mountPoints = mountPoints
        self.children = children
    }

    /// This device and everything built on it, depth first.
    public var subtree: [BlockDevice] { [self] + children.flatMap(\.subtree) }

    /// Every mount point in the subtree.
    public var allMountPoints: [String] { subtree.flatMap(\.mountPoints) }

    /// Whether this is a software RAID device (`raid0`, `raid1`, …).
    public var isRAID: Bool { type.hasPrefix("raid") }
}
