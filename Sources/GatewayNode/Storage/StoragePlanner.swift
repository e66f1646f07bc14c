import GatewayCore

/// Turns the cache device selection into steps: create or assemble the array and record it in
/// mdadm.conf, create the filesystem only where there is none, mount it, and persist the mount in fstab
/// by UUID with `nofail` (so a stop/start, which wipes the instance store, cannot break the boot).
public enum StoragePlanner {
    /// The storage steps.
    public static func plan(selection: CacheDeviceSelection, storage: StorageSettings, root: HostRoot = .system) -> NodePlan {
        var plan = NodePlan(notes: selection.notes)
        let mountPoint = storage.cacheMountPoint
        guard let device = selection.filesystemDevice else {
            plan.steps.append(
                .directory(
                    id: "storage.directory", phase: .storage, title: "Create the cache directory \(mountPoint) on the root volume", path: mountPoint, mode: 0o755,
                    notes: ["no instance storage: the cache shares the root volume"]))
            return plan
        }
        let label = CacheDeviceSelection.label
        var filesystemUUID: String?
        switch selection.layout {
        case .rootDirectory:
            break
        case .single(let single):
            if single.filesystemType != nil { filesystemUUID = single.uuid }
        case .array(let members, let state):
            let arrayUUID: String
            switch state {
            case .create(let path):
                arrayUUID = StableIdentifier.uuid(purpose: "array", devices: members)
                let command =
                    [
                        "mdadm", "--create", path, "--run", "--level=0", "--raid-devices=\(members.count)", "--chunk=\(storage.raidChunkKiB)", "--metadata=1.2", "--homehost=any", "--name=\(label)",
                        "--uuid=\(StableIdentifier.mdadmNotation(arrayUUID))",
                    ] + members.map(\.path)
                plan.steps.append(
                    .commands(id: "storage.array", phase: .storage, title: "Create the RAID 0 cache array \(path) over \(members.count) devices", [command]) { context in
                        try await arrayIsRunning(path, uuid: arrayUUID, in: context)
                    })
            case .assemble(let path, let uuid):
                arrayUUID = uuid
                let command = ["mdadm", "--assemble", path] + members.map(\.path)
                plan.steps.append(
                    NodeStep(id: "storage.array", phase: .storage, title: "Assemble the existing cache array \(path) (never recreated)", operations: [.run(command)]) { context in
                        try await arrayIsRunning(path, uuid: uuid, in: context)
                    } perform: { context in
                        // At boot udev assembles the array from mdadm.conf while this runs: theirs counts too.
                        try await racingBoot(command, in: context) { try await arrayIsRunning(path, uuid: uuid, in: context) }
                    })
            case .active(let md):
                arrayUUID = members.first?.uuid ?? StableIdentifier.uuid(purpose: "array", devices: members)
                if md.filesystemType != nil { filesystemUUID = md.uuid }
            }
            let arrayPath = CacheDeviceSelection.arrayPath
            let line = "ARRAY \(arrayPath) metadata=1.2 UUID=\(StableIdentifier.mdadmNotation(arrayUUID))"
            plan.steps.append(
                .line(
                    id: "storage.mdadm-conf", phase: .storage, title: "Record the cache array in \(NodePaths.mdadmConfig)", path: NodePaths.mdadmConfig, key: "ARRAY \(arrayPath)", line: line,
                    notes: ["one line under a fixed name, so reboots and stop/starts never pile up ARRAY lines"]
                ) { existing in
                    let fields = existing.split(whereSeparator: { $0 == " " || $0 == "\t" })
                    return fields.count >= 2 && fields[0] == "ARRAY" && fields[1] == arrayPath
                })
        }
        if filesystemUUID == nil {
            let uuid = StableIdentifier.uuid(purpose: "filesystem", devices: selection.members)
            filesystemUUID = uuid
            let stripeWidth = selection.members.count
            let command: [String]
            if storage.filesystem == "ext4" {
                let stride = max(1, storage.raidChunkKiB / 4)
                command = ["mkfs.ext4", "-q", "-L", label, "-U", uuid, "-E", "stride=\(stride),stripe_width=\(stride * stripeWidth)", device]
            } else {
                command = ["mkfs.xfs", "-q", "-L", label, "-m", "uuid=\(uuid)", "-d", "su=\(storage.raidChunkKiB)k,sw=\(stripeWidth)", device]
            }
            let filesystem = storage.filesystem
            plan.steps.append(
                .commands(
                    id: "storage.filesystem", phase: .storage, title: "Create the \(filesystem) cache filesystem on \(device)", [command],
                    notes: ["only when the device holds no signature; a foreign one stops the apply"]
                ) { context in
                    guard let signature = try await DeviceSignature.probe(device, in: context) else { return false }
                    if signature.type == filesystem && signature.label == label { return true }
                    throw StepError.conflict(
                        message: "\(device) now holds a \(signature.type ?? "unknown") signature\(signature.label.map { " labelled \($0)" } ?? "") that this runtime did not create",
                        hint: "nothing was written to it; wipe it (wipefs --all \(device)) if its data is not needed")
                })
        }
        plan.steps.append(.directory(id: "storage.mount-point", phase: .storage, title: "Create the mount point \(mountPoint)", path: mountPoint, mode: 0o755))
        let mountCommand = ["mount", "-t", storage.filesystem, "-o", storage.mountOptions, device]
        plan.steps.append(
            NodeStep(id: "storage.mount", phase: .storage, title: "Mount \(device) at \(mountPoint)", operations: [.run(mountCommand + [root.path(mountPoint)])]) { context in
                let target = context.root.path(mountPoint)
                guard let entry = try MountTable.current().mount(at: target) else { return false }
                if MountTable.entry(entry, isOn: device) { return true }
                throw StepError.conflict(message: "\(target) is already a mount of \(entry.source) (\(entry.filesystemType))", hint: "unmount it, or set storage.cacheMountPoint to another directory")
            } perform: { context in
                let target = context.root.path(mountPoint)
                // After a reboot systemd mounts the fstab line once the array is assembled, maybe while this runs.
                try await racingBoot(mountCommand + [target], in: context) {
                    try MountTable.current().mount(at: target).map { MountTable.entry($0, isOn: device) } ?? false
                }
            })
        var fstabOptions = storage.mountOptions.split(separator: ",").map(String.init)
        if !fstabOptions.contains("nofail") { fstabOptions.append("nofail") }
        let pass = storage.filesystem == "ext4" ? "2" : "0"
        let fstabLine = "UUID=\(filesystemUUID ?? "") \(mountPoint) \(storage.filesystem) \(fstabOptions.joined(separator: ",")) 0 \(pass)"
        let mountUnit = SystemdSyntax.mountUnitName(for: mountPoint)
        plan.steps.append(
            .line(
                id: "storage.fstab", phase: .storage, title: "Persist the cache mount in \(NodePaths.fstab) (by UUID, nofail)", path: NodePaths.fstab, key: mountPoint, line: fstabLine,
                notes: ["other fstab lines are kept; an older line for \(mountPoint) is replaced"], changes: mountUnit
            ) { existing in
                let trimmed = existing.drop { $0 == " " || $0 == "\t" }
                guard !trimmed.hasPrefix("#") else { return false }
                let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
                return fields.count >= 2 && fields[1] == mountPoint
            })
        if root.isSystem {
            // systemd generates \(mountUnit) from fstab; it must see the new line (and UUID) now.
            plan.steps.append(ServiceSteps.reload(phase: .storage, units: [mountUnit]))
        }
        return plan
    }

    /// Runs a command that the boot itself may be doing at the same time (udev assembling the array,
    /// systemd mounting from fstab): when it fails but what it was for is now in place, that is success.
    static func racingBoot(_ command: [String], in context: StepContext, done: () async throws -> Bool) async throws {
        do {
            try await context.require(command)
        } catch let failure as StepError {
            if (try? await done()) == true { return }
            throw failure
        }
    }

    /// Whether `path` is a running array with this UUID; a different array there is a conflict.
    static func arrayIsRunning(_ path: String, uuid: String, in context: StepContext) async throws -> Bool {
        let output = try await context.probe(["mdadm", "--detail", "--export", path])
        guard output.succeeded else { return false }
        let found = output.standardOutput.split(separator: "\n").first { $0.hasPrefix("MD_UUID=") }.map { String($0.dropFirst(8)) }
        if let found, found.filter(\.isHexDigit).lowercased() == uuid.filter(\.isHexDigit).lowercased() { return true }
        throw StepError.conflict(message: "\(path) is another array (\(found ?? "no UUID"))", hint: "stop it (mdadm --stop \(path)) if it is not needed")
    }
}
