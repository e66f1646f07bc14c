import GatewayCore

/// The LucidLink steps. Installing: per filespace its mount point and data directory on the cache
/// (owned by the service account), the password encrypted with `systemd-creds`, and the unit. Starting
/// (on a running system, outside the setup unit): each daemon is started and waited for, in turn, until
/// its unit is active (which its mount gate makes mean "mounted"), the client reports linked and the
/// mount point is a live mount (each wait bounded); then the data cache location and size are verified.
public enum LucidLinkPlanner {
    /// The install steps.
    public static func install(node: NodeConfig, root: HostRoot) -> NodePlan {
        var plan = NodePlan()
        let phase = NodePhase.lucidlink
        let user = NodeLayout.serviceUser
        plan.steps.append(.directory(id: "lucidlink.mount-root", phase: phase, title: "Create \(NodeConfig.filespaceMountRoot)", path: NodeConfig.filespaceMountRoot, mode: 0o755))
        for (index, filespace) in node.filespaces.enumerated() {
            let name = filespace.mountName
            let unit = NodeLayout.lucidLinkUnit(mountName: name)
            let field = "filespaces[\(index)].password"
            plan.secrets.append(SecretRequirement(field: field, secret: filespace.password))
            plan.steps.append(.directory(id: "lucidlink.\(name).mount-point", phase: phase, title: "Create the mount point \(filespace.mountPoint)", path: filespace.mountPoint, mode: 0o755, owner: user))
            plan.steps.append(.directory(id: "lucidlink.\(name).data", phase: phase, title: "Create the LucidLink data directory (state and cache) on the cache filesystem", path: NodeLayout.lucidLinkDataDirectory(cacheMountPoint: node.storage.cacheMountPoint, mountName: name), mode: 0o750, owner: user))
            plan.steps.append(CredentialStep.encrypt(id: "lucidlink.\(name).password", phase: phase, title: "Encrypt the password of \(filespace.name) for \(unit)", credential: .lucidLinkPassword(mountName: name), field: field, secret: filespace.password, units: [unit], root: root))
            plan.steps.append(ServiceSteps.install(NodeUnits.lucidLink(filespace, node: node, header: NodeUnits.header(for: node)), phase: phase))
        }
        return plan
    }

    /// The start and readiness steps.
    public static func start(node: NodeConfig) -> NodePlan {
        var plan = NodePlan()
        for filespace in node.filespaces {
            plan.steps += readiness(filespace)
            plan.steps.append(cacheSettings(filespace, node: node))
        }
        return plan
    }

    static func readiness(_ filespace: NodeFilespace) -> [NodeStep] {
        let name = filespace.mountName
        let unit = NodeLayout.lucidLinkUnit(mountName: name)
        let client = LucidLinkClient(filespace: filespace)
        let mountPoint = filespace.mountPoint
        return [
            ServiceSteps.start(id: "lucidlink.\(name).start", phase: .lucidlink, title: "Start \(unit) (after \(NodeLayout.setupUnit); active once its mount is live)", units: [unit]),
            ServiceSteps.waitActive(id: "lucidlink.\(name).active", phase: .lucidlink, unit: unit) { $0.lucidLinkActive },
            .wait(id: "lucidlink.\(name).linked", phase: .lucidlink, title: "Wait until \(filespace.name) is linked", condition: "`\(CommandDisplay.line(client.statusCommand))` reports Linked", probe: client.statusCommand, timeout: { $0.linked }) { context in
                let output = try await context.probe(client.statusCommand)
                return (output.succeeded && LucidLinkClient.isLinked(status: output.standardOutput), output.standardOutput + output.standardError)
            },
            .wait(id: "lucidlink.\(name).mounted", phase: .lucidlink, title: "Wait until \(mountPoint) is a live mount", condition: "\(mountPoint) is a FUSE mount", probe: nil, timeout: { $0.mounted }) { context in
                let target = context.root.path(mountPoint)
                let entry = try MountTable.current().mount(at: target)
                let live = entry.map { $0.filesystemType.hasPrefix("fuse") } ?? false
                return (live, entry.map { "\(target) is a \($0.filesystemType) mount of \($0.source)" } ?? "\(target) is not a mount point")
            },
        ]
    }

    /// Verifies (and if needed sets) the data cache location and size the unit's helper sets at start.
    static func cacheSettings(_ filespace: NodeFilespace, node: NodeConfig) -> NodeStep {
        let name = filespace.mountName
        let client = LucidLinkClient(filespace: filespace)
        let storage = node.storage
        let location = NodeLayout.lucidLinkDataDirectory(cacheMountPoint: storage.cacheMountPoint, mountName: name)
        let listCommand = client.listCommand
        let count = node.filespaces.count
        let share = CacheSizing.sharePercent(storage: storage, filespaces: count)
        let description = "DataCache.Size = \(share)% of the capacity of \(storage.cacheMountPoint) in whole GiB, clamped to \(storage.cacheMinGiB)-\(storage.cacheMaxGiB) GiB; computed when applied"
        let sizeOf: @Sendable (StepContext) throws -> Int = { context in
            CacheSizing.sizeGiB(capacityBytes: try CacheSizing.capacityBytes(of: context.root.path(location)), storage: storage, filespaces: count)
        }
        return NodeStep(
            id: "lucidlink.\(name).cache",
            phase: .lucidlink,
            title: "Verify the data cache of \(filespace.name): on the cache filesystem, sized",
            operations: [.run(client.setCommand("DataCache.Location", location)), .computed(description: description, command: client.setCommand("DataCache.Size", "<size>GiB"))],
            notes: ["the unit's \(NodeHelperScripts.lucidLinkCache) helper sets both at every start; this checks them with `\(CommandDisplay.line(listCommand))` and sets them only if they differ"]
        ) { context in
            let listing = try await context.require(listCommand).standardOutput
            guard LucidLinkClient.value(of: "DataCache.Location", inListing: listing) == location,
                  let size = LucidLinkClient.value(of: "DataCache.Size", inListing: listing) else { return false }
            return LucidLinkClient.size(size, equalsGiB: try sizeOf(context))
        } perform: { context in
            try await context.require(client.setCommand("DataCache.Location", location))
            try await context.require(client.setCommand("DataCache.Size", "\(try sizeOf(context))GiB"))
        }
    }
}
