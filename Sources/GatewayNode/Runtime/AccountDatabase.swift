/// Users and groups of the configured tree, read from its `/etc/passwd` and `/etc/group` (not from
/// the running system's name service, so that `--root` trees resolve their own accounts).
struct AccountDatabase: Sendable {
    let root: HostRoot

    /// The uid and primary gid of a user, or `nil` when the tree has no such user.
    func user(_ name: String) throws(StepError) -> (uid: UInt32, gid: UInt32)? {
        guard let passwd = try HostFiles.read(root.path("/etc/passwd")) else { return nil }
        for line in passwd.split(separator: "\n") {
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 4, fields[0] == name else { continue }
            guard let uid = UInt32(fields[2]), let gid = UInt32(fields[3]) else { return nil }
            return (uid, gid)
        }
        return nil
    }

    /// The ids of an owner given as `user` (its primary group) or `root`.
    func owner(_ name: String) throws(StepError) -> (uid: UInt32, gid: UInt32) {
        if name == "root" { return (0, 0) }
        guard let ids = try user(name) else {
            throw .conflict(message: "the user \(name) does not exist in \(root.path("/etc/passwd"))", hint: "the host phase creates it; run it first (or drop --only)")
        }
        return ids
    }
}
