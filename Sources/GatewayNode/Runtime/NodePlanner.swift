import GatewayCore

/// Computes the ordered steps that set up a node from its config and its devices. Planning reads the
/// configured tree but changes nothing; every problem with the input is reported before any step runs.
public struct NodePlanner: Sendable {
    /// The node config.
    public var config: NodeConfig
    /// The machine's devices.
    public var layout: BlockDeviceLayout
    /// The tree to configure.
    public var root: HostRoot
    /// The parts to plan (all by default).
    public var phases: Set<NodePhase>

    /// Creates a planner.
    public init(config: NodeConfig, layout: BlockDeviceLayout, root: HostRoot = .system, phases: Set<NodePhase> = Set(NodePhase.allCases)) {
        self.config = config
        self.layout = layout
        self.root = root
        self.phases = phases
    }

    /// The plan.
    /// - Throws: ``NodeInputError`` with every problem of the config, the devices and the tree.
    public func plan() throws(NodeInputError) -> NodePlan {
        var problems = NodeConfigValidator().validate(config).filter { $0.severity == .error }
        problems += pathProblems()
        let selection: CacheDeviceSelection?
        do {
            selection = try CacheDeviceSelector.select(layout: layout, storage: config.storage, root: root)
        } catch {
            problems += error.problems
            selection = nil
        }
        guard problems.isEmpty, let selection else { throw NodeInputError(problems: problems) }
        var plan = NodePlan()
        if phases.contains(.host) { plan.append(HostPlanner.plan(root: root)) }
        if phases.contains(.storage) { plan.append(StoragePlanner.plan(selection: selection, storage: config.storage, root: root)) }
        if phases.contains(.lucidlink) { plan.append(LucidLinkPlanner.plan(node: config, selection: selection, root: root)) }
        if phases.contains(.gateways) { plan.append(GatewayPlanner.plan(node: config, root: root)) }
        if phases.contains(.proxy) { plan.append(ProxyPlanner.plan(node: config, root: root)) }
        return plan
    }

    /// Mount points and directories the runtime creates must not be files in the tree.
    private func pathProblems() -> [ConfigProblem] {
        var paths = [("storage.cacheMountPoint", config.storage.cacheMountPoint)]
        for (index, filespace) in config.filespaces.enumerated() {
            paths.append(("filespaces[\(index)].mountPoint", filespace.mountPoint))
        }
        var problems: [ConfigProblem] = []
        for (field, path) in paths where path.hasPrefix("/") {
            // The path and each of its parents must be a directory or missing.
            var current = ""
            for component in path.split(separator: "/") {
                current += "/" + component
                let kind = HostFiles.kind(root.path(current))
                if kind == .file || kind == .other {
                    let what = current == path ? "is a file, not a directory" : "cannot be created: \(root.path(current)) is a file"
                    problems.append(ConfigProblem(path: field, message: "the mount point \(root.path(path)) \(what)", hint: "move the file away or choose another mount point"))
                    break
                }
            }
        }
        return problems
    }
}
