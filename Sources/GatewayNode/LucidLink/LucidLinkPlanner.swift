import GatewayCore

/// The LucidLink steps: per filespace its mount point and state directories, the encrypted password
/// and the unit; then start each daemon and wait, in turn, until its unit is active, the client reports
/// linked and the mount point is a live mount (each wait bounded); then point the data cache at the
/// cache filesystem and size it, verifying both.
public enum LucidLinkPlanner {
    /// The LucidLink steps.
    public static func plan(node: NodeConfig, selection: CacheDeviceSelection, root: HostRoot) -> NodePlan {
        var plan = NodePlan()
        let phase = NodePhase.lucidlink
        let user = NodePaths.serviceUser
        let cache = node.storage.cacheMountPoint
        var units: [String] = []
        for (index, filespace) in node.filespaces.enumerated() {
            let name = filespace.mountName
            let unit = NodeUnitNames.lucidLink(mountName: name)
            units.append(unit)
            let field = "filespaces[\(index)].password"
            plan.secrets.append(SecretRequirement(field: field, secret: filespace.password))
            plan.steps.append(
                .directory(id: "lucidlink.\(name).mount-point", phase: phase, title: "Create the mount point \(filespace.mountPoint)", path: filespace.mountPoint, mode: 0o755, owner: user))
            plan.steps.append(
                .directory(
                    id: "lucidlink.\(name).state", phase: phase, title: "Create the LucidLink state directory on the cache",
                    path: NodePaths.lucidLinkStateDirectory(cacheMountPoint: cache, mountName: name), mode: 0o750, owner: user))
            plan.steps.append(
                .directory(
                    id: "lucidlink.\(name).cache", phase: phase, title: "Create the LucidLink data cache directory", path: NodePaths.lucidLinkCacheDirectory(cacheMountPoint: cache, mountName: name),
                    mode: 0o750, owner: user))
            plan.steps.append(
                CredentialStep.encrypt(
                    id: "lucidlink.\(name).password", phase: phase, title: "Encrypt the password of \(filespace.name) for \(unit)", credential: .lucidLinkPassword(mountName: name), field: field,
                    secret: filespace.password, units: [unit], root: root))
            plan.steps.append(ServiceSteps.install(LucidLinkUnit.file(for: filespace, in: node), phase: phase))
        }
        guard root.isSystem else {
            plan.steps.append(ServiceSteps.enableOffline(id: "lucidlink.enable", phase: phase, title: "Enable the LucidLink units", units: units, root: root))
            plan.notes.append("--root \(root.directory): LucidLink units are installed and enabled, not started; linking and cache settings happen at boot")
            return plan
        }
        plan.steps.append(ServiceSteps.reload(phase: phase, units: units))
        for filespace in node.filespaces {
            plan.steps += readiness(filespace)
        }
        for filespace in node.filespaces {
            plan.steps += cacheSettings(filespace, node: node, selection: selection)
        }
        return plan
    }

    static func readiness(_ filespace: NodeFilespace) -> [NodeStep] {
        let name = filespace.mountName
        let unit = NodeUnitNames.lucidLink(mountName: name)
        let client = LucidLinkClient(filespace: filespace)
        let mountPoint = filespace.mountPoint
        return [
            ServiceSteps.enableAndStart(id: "lucidlink.\(name).start", phase: .lucidlink, title: "Enable and start \(unit)", units: [unit]),
            ServiceSteps.waitActive(id: "lucidlink.\(name).active", phase: .lucidlink, unit: unit) { $0.unitActive },
            .wait(
                id: "lucidlink.\(name).linked", phase: .lucidlink, title: "Wait until \(filespace.name) is linked", condition: "`\(CommandDisplay.line(client.statusCommand))` reports Linked",
                probe: client.statusCommand, timeout: { $0.linked }
            ) { context in
                let output = try await context.probe(client.statusCommand)
                return (output.succeeded && LucidLinkClient.isLinked(status: output.standardOutput), output.standardOutput + output.standardError)
            },
            .wait(
                id: "lucidlink.\(name).mounted", phase: .lucidlink, title: "Wait until \(mountPoint) is a live mount", condition: "\(mountPoint) is a FUSE mount", probe: nil, timeout: { $0.mounted }
            ) { context in
                let target = context.root.path(mountPoint)
                let entry = try MountTable.current().mount(at: target)
                let live = entry.map { $0.filesystemType.hasPrefix("fuse") } ?? false
                return (live, entry.map { "\(target) is a \($0.filesystemType) mount of \($0.source)" } ?? "\(target) is not a mount point")
            },
        ]
    }

    static func cacheSettings(_ filespace: NodeFilespace, node: NodeConfig, selection: CacheDeviceSelection) -> [NodeStep] {
        let name = filespace.mountName
        let client = LucidLinkClient(filespace: filespace)
        let storage = node.storage
        let location = NodePaths.lucidLinkCacheDirectory(cacheMountPoint: storage.cacheMountPoint, mountName: name)
        let locationCommand = client.setCommand("DataCache.Location", location)
        let listCommand = client.listCommand
        let count = node.filespaces.count
        let dedicated = selection.layout != .rootDirectory
        let estimate: String
        if dedicated {
            let bytes = selection.layout.capacityBytes
            estimate = "about \(CacheSizing.sizeGiB(basisBytes: bytes, storage: storage, filespaces: count)) GiB for \(bytes >> 30) GiB of devices"
        } else {
            estimate = "depends on the root volume's free space"
        }
        let basis = dedicated ? "the capacity of \(storage.cacheMountPoint)" : "the free space of \(storage.cacheMountPoint)"
        let sizeDescription =
            "DataCache.Size = \(storage.cacheSharePercent)% of \(basis) / \(count) filespace\(count == 1 ? "" : "s"), clamped to \(storage.cacheMinGiB)-\(storage.cacheMaxGiB) GiB (\(estimate)); computed when applied"
        let sizeOf: @Sendable (StepContext) throws -> Int = { context in
            let bytes = try CacheSizing.basisBytes(of: context.root.path(storage.cacheMountPoint), dedicated: dedicated)
            return CacheSizing.sizeGiB(basisBytes: bytes, storage: storage, filespaces: count)
        }
        return [
            NodeStep(
                id: "lucidlink.\(name).cache-location", phase: .lucidlink, title: "Put the data cache of \(filespace.name) on the cache filesystem", operations: [.run(locationCommand)],
                notes: ["verified with `\(CommandDisplay.line(listCommand))`"]
            ) { context in
                let listing = try await context.require(listCommand).standardOutput
                return LucidLinkClient.value(of: "DataCache.Location", inListing: listing) == location
            } perform: { context in
                try await context.require(locationCommand)
            },
            NodeStep(
                id: "lucidlink.\(name).cache-size", phase: .lucidlink, title: "Size the data cache of \(filespace.name)",
                operations: [.computed(description: sizeDescription, command: client.setCommand("DataCache.Size", "<size>GiB"))], notes: ["verified with `\(CommandDisplay.line(listCommand))`"]
            ) { context in
                let listing = try await context.require(listCommand).standardOutput
                guard let listed = LucidLinkClient.value(of: "DataCache.Size", inListing: listing) else { return false }
                return LucidLinkClient.size(listed, equalsGiB: try sizeOf(context))
            } perform: { context in
                try await context.require(client.setCommand("DataCache.Size", "\(try sizeOf(context))GiB"))
            },
        ]
    }
}

extension CacheDeviceSelection.Layout {
    /// The usable size of the devices: the sum over a RAID 0 array's members, or the one device's size.
    var capacityBytes: UInt64 {
        switch self {
        case .rootDirectory: 0
        case .single(let device): device.size
        case .array(let members, _): members.reduce(0) { $0 + $1.size }
        }
    }
}
