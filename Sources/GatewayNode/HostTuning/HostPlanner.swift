import GatewayCore

/// The host steps: the service account and its directories, the network tuning, FUSE's
/// `user_allow_other` (which lets the gateways and root use mounts made by the LucidLink daemons), and
/// the helper scripts the units run. The image build does the same; the runtime keeps it in place.
public enum HostPlanner {
    /// The FUSE config.
    public static let fuseConfig = "/etc/fuse.conf"

    /// The host steps for a tree.
    public static func plan(root: HostRoot) -> NodePlan {
        var plan = NodePlan()
        let user = NodeLayout.serviceUser
        let rootOptions = root.isSystem ? [] : ["--root", root.directory]
        let useradd = ["useradd"] + rootOptions + ["--system", "--user-group", "--home-dir", NodeLayout.stateDirectory, "--no-create-home", "--shell", "/usr/sbin/nologin", user]
        plan.steps.append(.commands(id: "host.user", phase: .host, title: "Create the service account \(user)", [useradd], notes: ["LucidLink, the gateways and the proxy run as \(user), not root"]) { context in
            try AccountDatabase(root: context.root).user(user) != nil
        })
        plan.steps.append(.directory(id: "host.state-dir", phase: .host, title: "Create the node state directory", path: NodeLayout.stateDirectory, mode: 0o755))
        plan.steps.append(.directory(id: "host.credential-dir", phase: .host, title: "Create the credential directory (root only)", path: NodeLayout.credentialDirectory, mode: 0o700))
        plan.steps.append(.directory(id: "host.log-dir", phase: .host, title: "Create the log directory", path: NodeLayout.logDirectory, mode: 0o755, owner: user))
        plan.steps.append(.file(id: "host.sysctl-file", phase: .host, title: "Write the network tuning \(NetworkTuning.filePath)", path: NetworkTuning.filePath, contents: NetworkTuning.fileContents))
        if root.isSystem {
            plan.steps.append(.commands(id: "host.sysctl", phase: .host, title: "Apply the network tuning to the running kernel", [["sysctl", "--load=\(NetworkTuning.filePath)"]]) { _ in
                try NetworkTuning.isApplied()
            })
        }
        plan.steps.append(.line(id: "host.fuse", phase: .host, title: "Allow FUSE mounts to be shared (user_allow_other)", path: fuseConfig, key: "user_allow_other", line: "user_allow_other") { existing in
            existing.drop { $0 == "#" || $0 == " " || $0 == "\t" }.trimmingCharacters(in: .whitespaces) == "user_allow_other"
        })
        for script in NodeHelperScripts.all {
            let path = NodeHelperScripts.installed(script.name)
            plan.steps.append(.file(id: "host.helper.\(script.name)", phase: .host, title: "Install the unit helper \(path)", path: path, contents: script.text, mode: 0o755))
        }
        return plan
    }
}
