/// One LucidLink filespace mounted on every instance.
public struct FilespaceSettings: Codable, Sendable, Equatable {
    /// Filespace name, e.g. `mycompany.dmpfs` (reference `FILESPACE1`).
    public var name: String
    /// LucidLink user, usually an e-mail address (reference `FSUSER1`).
    public var user: String
    /// LucidLink password (reference `LLPASSWD1`).
    public var password: Secret
    /// Root point inside the filespace (reference `ROOTPOINT1`, default `/`).
    public var rootPoint: String
    /// LucidLink client major version: 2 or 3 (reference `FSVERSION`, default 3).
    public var clientVersion: Int
    /// Short unique name used for the mount directory and unit names; empty derives it from ``name``.
    public var mountName: String

    /// Creates a filespace; name, user and password have no default.
    public init(
        name: String = "",
        user: String = "",
        password: Secret = .unset,
        rootPoint: String = "/",
        clientVersion: Int = 3,
        mountName: String = ""
    ) {
        self.name = name
        self.user = user
        self.password = password
        self.rootPoint = rootPoint
        self.clientVersion = clientVersion
        self.mountName = mountName
    }

    /// The mount name in effect: ``mountName`` or, when empty, the filespace name's first label.
    public var effectiveMountName: String {
        if !mountName.isEmpty { return mountName }
        let first = name.split(separator: ".").first.map(String.init) ?? name
        return first.lowercased()
    }
}
