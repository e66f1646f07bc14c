import Foundation

/// The mounts of this machine, from `/proc/self/mountinfo`.
public struct MountTable: Sendable, Equatable {
    /// One mount.
    public struct Entry: Sendable, Equatable {
        /// Device number of the mounted filesystem.
        public var major: UInt32
        /// Device number of the mounted filesystem.
        public var minor: UInt32
        /// Where it is mounted.
        public var mountPoint: String
        /// Filesystem type, e.g. `xfs` or `fuse.lucid`.
        public var filesystemType: String
        /// What is mounted, e.g. `/dev/md0`.
        public var source: String
    }

    /// The mounts in mount order.
    public var entries: [Entry]

    /// Parses mountinfo text (see proc(5)).
    public init(mountinfo text: String) {
        entries = text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 10, let separator = fields.firstIndex(of: "-"), separator + 2 < fields.count else { return nil }
            let numbers = fields[2].split(separator: ":")
            guard numbers.count == 2, let major = UInt32(numbers[0]), let minor = UInt32(numbers[1]) else { return nil }
            return Entry(major: major, minor: minor, mountPoint: Self.unescape(fields[4]), filesystemType: fields[separator + 1], source: Self.unescape(fields[separator + 2]))
        }
    }

    /// The current mounts.
    public static func current() throws(StepError) -> MountTable {
        guard let text = try HostFiles.read("/proc/self/mountinfo") else {
            throw .fileSystem(path: "/proc/self/mountinfo", reason: "does not exist; is /proc mounted?")
        }
        return MountTable(mountinfo: text)
    }

    /// The last (visible) mount at a path.
    public func mount(at path: String) -> Entry? {
        entries.last { $0.mountPoint == path }
    }

    /// Whether an entry is the filesystem of a block device (same device number).
    public static func entry(_ entry: Entry, isOn device: String) -> Bool {
        var info = stat()
        if stat(device, &info) == 0, (info.st_mode & S_IFMT) == S_IFBLK {
            // glibc's dev_t encoding (gnu_dev_major / gnu_dev_minor, which are macros Swift cannot import).
            let device = UInt64(info.st_rdev)
            let major = UInt32(truncatingIfNeeded: ((device >> 8) & 0xFFF) | ((device >> 32) & ~UInt64(0xFFF)))
            let minor = UInt32(truncatingIfNeeded: (device & 0xFF) | ((device >> 12) & ~UInt64(0xFF)))
            return major == entry.major && minor == entry.minor
        }
        return entry.source == device
    }

    private static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count,
                let value = UInt8(String(decoding: utf8[(index + 1)...(index + 3)], as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
