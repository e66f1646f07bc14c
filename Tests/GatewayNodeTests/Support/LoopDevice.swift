import Foundation
import GatewayNode
import Testing

/// A real loop device over a sparse file, for running mkfs, mount and fstab steps for real.
enum LoopDevice {
    /// Whether this machine can attach loop devices (root, and the loop driver present).
    static var available: Bool {
        getuid() == 0 && FileManager.default.fileExists(atPath: "/dev/loop-control")
    }

    /// Attaches a loop device over a sparse file of `megabytes` MiB in a fresh directory, runs `body`
    /// with the device path and the directory, then unmounts whatever is mounted from the device or
    /// under the directory, detaches the device and removes the directory, even when `body` throws.
    static func with(megabytes: Int, _ body: (_ device: String, _ directory: String) async throws -> Void) async throws {
        let directory = try TestTools.temporaryDirectory("loop")
        let image = "\(directory)/disk.img"
        guard FileManager.default.createFile(atPath: image, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: image])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: image))
        try handle.truncate(atOffset: UInt64(megabytes) << 20)
        try handle.close()
        let attach = try await TestTools.run(["losetup", "--find", "--show", image])
        let device = attach.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        guard attach.succeeded, device.hasPrefix("/dev/loop") else {
            try? FileManager.default.removeItem(atPath: directory)
            Issue.record("losetup failed: \(attach.standardError)")
            return
        }
        var failure: (any Error)?
        do {
            try await body(device, directory)
        } catch {
            failure = error
        }
        await cleanUp(device: device, directory: directory)
        if let failure { throw failure }
    }

    private static func cleanUp(device: String, directory: String) async {
        let mounts = (try? MountTable.current().entries) ?? []
        for entry in mounts.reversed() where entry.mountPoint.hasPrefix(directory + "/") || entry.source == device {
            _ = try? await TestTools.run(["umount", entry.mountPoint])
        }
        _ = try? await TestTools.run(["losetup", "--detach", device])
        try? FileManager.default.removeItem(atPath: directory)
    }
}
