/// The file system tree the runtime configures: `/` on an instance, another directory for tests and
/// image builds (`--root`). Paths in the node config are absolute paths inside the tree; ``path(_:)``
/// gives the path on this machine.
public struct HostRoot: Sendable, Equatable {
    /// The tree's directory on this machine, without a trailing slash (`""` for `/`).
    public let prefix: String

    /// The running system's own root.
    public static let system = HostRoot(prefix: "")

    /// A tree at `directory`; `/` is the running system.
    public init(directory: String) {
        var trimmed = directory
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.init(prefix: trimmed == "/" ? "" : trimmed)
    }

    private init(prefix: String) { self.prefix = prefix }

    /// `true` for the running system's root: services can be started and waited for.
    public var isSystem: Bool { prefix.isEmpty }

    /// The tree's directory (`/` for the running system).
    public var directory: String { isSystem ? "/" : prefix }

    /// The path on this machine of an absolute path inside the tree.
    public func path(_ absolute: String) -> String { prefix + absolute }
}
