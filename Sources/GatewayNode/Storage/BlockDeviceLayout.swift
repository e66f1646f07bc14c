import Foundation

/// The block devices of a machine, parsed from `lsblk --json --bytes` output.
public struct BlockDeviceLayout: Sendable, Equatable {
    /// The top-level devices in `lsblk` order.
    public var devices: [BlockDevice]
    /// Whether the output had a `model` column (without it no instance storage can be recognised).
    public var hasModelColumn: Bool

    /// The `lsblk` command whose output this parses; save its output to plan offline (`--devices`).
    public static let lsblkCommand = ["lsblk", "--json", "--bytes", "--output", "NAME,PATH,TYPE,SIZE,MODEL,SERIAL,FSTYPE,LABEL,UUID,MOUNTPOINTS"]

    /// Creates a layout from devices.
    public init(devices: [BlockDevice], hasModelColumn: Bool = true) {
        self.devices = devices
        self.hasModelColumn = hasModelColumn
    }

    /// Parses `lsblk --json --bytes` output. Both `mountpoints` (util-linux 2.37+) and the older
    /// `mountpoint` are accepted; sizes must be bytes.
    /// - Throws: ``LayoutError`` naming what is wrong.
    public init(lsblkJSON data: Data) throws(LayoutError) {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw LayoutError("is not JSON (\(error.localizedDescription))")
        }
        guard let top = object as? [String: Any], let list = top["blockdevices"] as? [Any] else {
            throw LayoutError("has no \"blockdevices\" list; save it with `\(CommandDisplay.line(Self.lsblkCommand))`")
        }
        var sawModel = false
        devices = try list.enumerated().map { index, item throws(LayoutError) in
            try Self.device(item, path: "blockdevices[\(index)]", sawModel: &sawModel)
        }
        hasModelColumn = sawModel
    }

    /// The device (at any depth) with this path or kernel name.
    public func device(named nameOrPath: String) -> BlockDevice? {
        devices.flatMap(\.subtree).first { $0.path == nameOrPath || $0.name == nameOrPath || "/dev/\($0.name)" == nameOrPath }
    }

    /// The top-level device holding `device` (itself when it is top-level).
    public func topLevel(holding nameOrPath: String) -> BlockDevice? {
        devices.first { top in top.subtree.contains { $0.path == nameOrPath || $0.name == nameOrPath } }
    }

    private static func device(_ item: Any, path: String, sawModel: inout Bool) throws(LayoutError) -> BlockDevice {
        guard let fields = item as? [String: Any] else { throw LayoutError("\(path) is not an object") }
        guard let name = fields["name"] as? String, !name.isEmpty else { throw LayoutError("\(path) has no name") }
        if fields.keys.contains("model") { sawModel = true }
        let size: UInt64
        switch fields["size"] {
        case let number as NSNumber: size = number.uint64Value
        case let text as String:
            guard let value = UInt64(text) else {
                throw LayoutError("\(path) (\(name)) has the size \"\(text)\", not a number of bytes; save the layout with --bytes")
            }
            size = value
        default: size = 0
        }
        var mountPoints: [String] = []
        if let list = fields["mountpoints"] as? [Any] {
            mountPoints = list.compactMap { $0 as? String }
        } else if let single = fields["mountpoint"] as? String {
            mountPoints = [single]
        }
        var children: [BlockDevice] = []
        if let list = fields["children"] as? [Any] {
            for (index, child) in list.enumerated() {
                children.append(try device(child, path: "\(path).children[\(index)]", sawModel: &sawModel))
            }
        }
        func text(_ key: String) -> String? {
            guard let value = fields[key] as? String else { return nil }
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : trimmed
        }
        return BlockDevice(
            name: name,
            path: text("path") ?? "/dev/\(name)",
            type: text("type") ?? "disk",
            size: size,
            model: text("model"),
            serial: text("serial"),
            filesystemType: text("fstype"),
            label: text("label"),
            uuid: text("uuid"),
            mountPoints: mountPoints,
            children: children
        )
    }
}

/// A device layout could not be read.
public struct LayoutError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with it.
    public var problem: String

    init(_ problem: String) { self.problem = problem }

    public var description: String { "the device layout \(problem)" }
}
