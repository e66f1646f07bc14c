import GatewayCore

/// Which devices hold the LucidLink cache, decided from the device layout.
public struct CacheDeviceSelection: Sendable, Equatable {
    /// How the cache is stored.
    public enum Layout: Sendable, Equatable {
        /// No usable instance storage: a directory on the root volume.
        case rootDirectory
        /// One device with the filesystem directly on it.
        case single(BlockDevice)
        /// RAID 0 over several devices.
        case array(members: [BlockDevice], state: ArrayState)
    }

    /// The state of the cache array.
    public enum ArrayState: Sendable, Equatable {
        /// The members are blank: create the array at this path.
        case create(path: String)
        /// The members carry our array but it is not running: assemble it at this path.
        case assemble(path: String, uuid: String)
        /// The array is running as this device.
        case active(BlockDevice)
    }

    /// The layout.
    public var layout: Layout
    /// Why devices were left out, and other findings.
    public var notes: [String]

    /// The name every cache filesystem and array carries, so the runtime recognises its own.
    public static let label = "gw-cache"
    /// The cache array's device name, the same on every boot and after every stop/start: mdadm creates
    /// it as a link to the kernel's `mdN`, and mdadm.conf names the array by it.
    public static let arrayPath = "/dev/md/gw-cache"

    /// The device the filesystem goes on (`nil` for the root-volume directory).
    public var filesystemDevice: String? {
        switch layout {
        case .rootDirectory: nil
        case .single(let device): device.path
        case .array(_, .create(let path)), .array(_, .assemble(let path, _)): path
        case .array(_, .active(let md)): md.path
        }
    }

    /// The devices whose identity names the array and filesystem.
    public var members: [BlockDevice] {
        switch layout {
        case .rootDirectory: []
        case .single(let device): [device]
        case .array(let members, _): members
        }
    }
}

/// Chooses the cache devices: instance storage (disks of `storage.instanceStoreModel`, or the devices
/// named in the config), never the
/// root device, a device with partitions or mounts, or one with a signature this runtime did not write.
public enum CacheDeviceSelector {
    /// Decides the cache layout and checks that nothing else is mounted at the cache mount point.
    /// - Parameters:
    ///   - layout: The machine's devices.
    ///   - storage: The storage settings (explicit devices, cache mount point).
    ///   - root: The configured tree (mount points in the layout are paths on this machine).
    /// - Throws: ``NodeInputError`` when an explicitly named device is missing or unusable.
    public static func select(layout: BlockDeviceLayout, storage: StorageSettings, root: HostRoot) throws(NodeInputError) -> CacheDeviceSelection {
        let selection = try choose(layout: layout, storage: storage, root: root)
        let cacheMount = root.path(storage.cacheMountPoint)
        if let device = selection.filesystemDevice,
            let other = layout.devices.flatMap(\.subtree).first(where: { $0.mountPoints.contains(cacheMount) && $0.path != device })
        {
            throw NodeInputError(problems: [
                ConfigProblem(
                    path: "storage.cacheMountPoint", message: "\(cacheMount) is already a mount of \(other.path), not of the cache device \(device)",
                    hint: "unmount it and remove its fstab line, or set storage.cacheMountPoint to another directory")
            ])
        }
        return selection
    }

    static func choose(layout: BlockDeviceLayout, storage: StorageSettings, root: HostRoot) throws(NodeInputError) -> CacheDeviceSelection {
        let cacheMount = root.path(storage.cacheMountPoint)
        var notes: [String] = []
        var candidates: [BlockDevice] = []
        if storage.devices.isEmpty {
            if !layout.hasModelColumn {
                notes.append("the device layout has no MODEL column, so no instance storage can be recognised; save it with `\(CommandDisplay.line(BlockDeviceLayout.lsblkCommand))`")
            }
            candidates = layout.devices.filter { $0.type == "disk" && $0.model == storage.instanceStoreModel }
            candidates.sort { naturalOrder($0.name, $1.name) }
        } else {
            var problems: [ConfigProblem] = []
            for (index, path) in storage.devices.enumerated() {
                let field = "storage.devices[\(index)]"
                guard let device = layout.device(named: path) else {
                    let known = layout.devices.map(\.path).joined(separator: ", ")
                    problems.append(
                        ConfigProblem(
                            path: field, message: "the device \(path) does not exist on this machine",
                            hint: "use one of: \(known.isEmpty ? "(no block devices found)" : known), or leave storage.devices empty to use the NVMe instance storage"))
                    continue
                }
                if case .excluded(let reason) = classify(device, layout: layout, cacheMount: cacheMount) {
                    problems.append(ConfigProblem(path: field, message: "the device \(path) \(reason)", hint: "name a blank device, or wipe this one if its data is not needed (wipefs --all \(path))"))
                    continue
                }
                candidates.append(device)
            }
            if !problems.isEmpty { throw NodeInputError(problems: problems) }
        }

        var blank: [BlockDevice] = []
        var ownFilesystems: [BlockDevice] = []
        var arrayMembers: [String: [(device: BlockDevice, md: BlockDevice?)]] = [:]
        for device in candidates {
            switch classify(device, layout: layout, cacheMount: cacheMount) {
            case .blank: blank.append(device)
            case .ownFilesystem: ownFilesystems.append(device)
            case .ownArrayMember(let uuid, let md): arrayMembers[uuid, default: []].append((device, md))
            case .excluded(let reason): notes.append("skipped \(device.path): it \(reason)")
            }
        }

        if let (uuid, members) = arrayMembers.max(by: { $0.value.count < $1.value.count || ($0.value.count == $1.value.count && $0.key > $1.key) }) {
            for (other, otherMembers) in arrayMembers where other != uuid {
                notes.append("skipped \(otherMembers.map(\.device.path).joined(separator: ", ")): members of another \(CacheDeviceSelection.label) array (\(other))")
            }
            for device in blank + ownFilesystems {
                notes.append("not using \(device.path): the existing cache array is kept as it is (arrays are never reshaped)")
            }
            let devices = members.map(\.device)
            if let md = members.compactMap(\.md).first {
                notes.append("the cache array \(md.path) is running over \(devices.map(\.path).joined(separator: ", ")): kept")
                return CacheDeviceSelection(layout: .array(members: devices, state: .active(md)), notes: notes)
            }
            let path = CacheDeviceSelection.arrayPath
            notes.append("the cache array over \(devices.map(\.path).joined(separator: ", ")) exists but is not running: it is assembled, never recreated")
            return CacheDeviceSelection(layout: .array(members: devices, state: .assemble(path: path, uuid: uuid)), notes: notes)
        }
        if let device = ownFilesystems.first {
            for other in ownFilesystems.dropFirst() + blank {
                notes.append("not using \(other.path): the cache filesystem on \(device.path) is kept as it is")
            }
            notes.append("the cache filesystem on \(device.path) exists: kept")
            return CacheDeviceSelection(layout: .single(device), notes: notes)
        }
        switch blank.count {
        case 0:
            notes.append(
                "no instance storage found (no blank disk of model \"\(storage.instanceStoreModel)\"): the cache is a directory on the root volume (\(storage.cacheMountPoint)); choose an instance type with NVMe instance storage for a fast cache"
            )
            return CacheDeviceSelection(layout: .rootDirectory, notes: notes)
        case 1:
            notes.append("one instance-storage device (\(blank[0].path)): the filesystem goes directly on it")
            return CacheDeviceSelection(layout: .single(blank[0]), notes: notes)
        default:
            let path = CacheDeviceSelection.arrayPath
            notes.append("\(blank.count) instance-storage devices: RAID 0 over all of them as \(path)")
            return CacheDeviceSelection(layout: .array(members: blank, state: .create(path: path)), notes: notes)
        }
    }

    enum Candidacy: Equatable {
        case blank
        case ownFilesystem
        case ownArrayMember(uuid: String, md: BlockDevice?)
        case excluded(String)
    }

    static func classify(_ device: BlockDevice, layout: BlockDeviceLayout, cacheMount: String) -> Candidacy {
        let subtree = device.subtree
        if subtree.contains(where: { $0.mountPoints.contains("/") }) {
            return .excluded("holds the root filesystem")
        }
        if device.children.contains(where: { $0.type == "part" }) {
            return .excluded("has partitions")
        }
        if let mount = device.allMountPoints.first(where: { $0 != cacheMount && !$0.isEmpty }) {
            return .excluded("is mounted at \(mount)")
        }
        let label = CacheDeviceSelection.label
        switch device.filesystemType {
        case nil:
            if device.children.contains(where: \.isRAID) {
                return .excluded("is part of a RAID array without a readable signature")
            }
            return .blank
        case "linux_raid_member":
            let name = device.label ?? ""
            guard name == label || name.hasSuffix(":" + label) else {
                return .excluded("is a member of another RAID array (\(name.isEmpty ? "unnamed" : name))")
            }
            let uuid = device.uuid ?? "unknown"
            return .ownArrayMember(uuid: uuid, md: device.children.first(where: \.isRAID))
        case let type?:
            if device.label == label, ["xfs", "ext4"].contains(type) { return .ownFilesystem }
            let labelText = device.label.map { " labelled \($0)" } ?? ""
            return .excluded("holds a \(type) filesystem\(labelText) that this runtime did not create")
        }
    }

    /// `nvme2n1` before `nvme10n1`.
    static func naturalOrder(_ lhs: String, _ rhs: String) -> Bool {
        func key(_ name: String) -> [String] {
            var parts: [String] = []
            var current = ""
            var digits = false
            for character in name {
                if character.isNumber != digits, !current.isEmpty {
                    parts.append(digits ? String(repeating: "0", count: max(0, 12 - current.count)) + current : current)
                    current = ""
                }
                digits = character.isNumber
                current.append(character)
            }
            if !current.isEmpty { parts.append(digits ? String(repeating: "0", count: max(0, 12 - current.count)) + current : current) }
            return parts
        }
        return key(lhs).lexicographicallyPrecedes(key(rhs))
    }
}
