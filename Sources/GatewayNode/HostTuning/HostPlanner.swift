import GatewayCore

/// The host steps: the service account, the network tuning and FUSE's `user_allow_other` (which lets
/// the gateways and root use mounts made by the LucidLink daemons).
public enum HostPlanner {
    /// The host steps for a tree.
    public static func plan(root: HostRoot) -> NodePlan {
        var plan = NodePlan()
        let user = NodePaths.serviceUser
        let rootOptions = root.isSystem ? [] : ["--root", root.directory]
        let useradd = ["useradd"] + rootOptions + ["--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", user]
        plan.steps.append(
            .commands(id: "host.user", phase: .host, title: "Create the service account \(user)", [useradd], notes: ["LucidLink, the gateways and the proxy run as \(user), not root"]) { context in
                try AccountDatabase(root: context.root).user(user) != nil
            })
        plan.steps.append(.file(id: "host.sysctl-file", phase: .host, title: "Write the network tuning \(NodePaths.sysctlFile)", path: NodePaths.sysctlFile, contents: NetworkTuning.fileContents))
        if root.isSystem {
            plan.steps.append(
                .commands(id: "host.sysctl", phase: .host, title: "Apply the network tuning to the running kernel", [["sysctl", "--load=\(NodePaths.sysctlFile)"]]) { _ in
                    try NetworkTuning.isApplied()
                })
        }
        plan.steps.append(
            .line(id: "host.fuse", phase: .host, title: "Allow FUSE mounts to be shared (user_allow_other)", path: NodePaths.fuseConfig, key: "user_allow_other", line: "user_allow_other") {
                existing in
                existing.drop { $0 == "#" || $0 == " " || $0 == "\t" }.trimmingCharacters(in: .whitespaces) == "user_allow_other"
            })
        return plan
    }
}
