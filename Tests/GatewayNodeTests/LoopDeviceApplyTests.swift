import Foundation
import GatewayCore
import Testing

@testable import GatewayNode

/// The storage steps run for real on loop devices under `--root`: mkfs.xfs, mount, fstab, and the
/// second apply that changes nothing. (The kernel here has no md driver, so mdadm is covered by plans.)
@Suite("storage apply on loop devices", .enabled(if: LoopDevice.available, "loop devices are unavailable here (needs root and /dev/loop-control)"))
struct LoopDeviceApplyTests {
    func writeConfig(device: String, directory: String) throws -> String {
        let config = SampleNodes.reference(storage: StorageSettings(devices: [device]))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = "\(directory)/node.json"
        try encoder.encode(config).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("one device: mkfs, mount and fstab for real; a second apply changes nothing; a wiped device is rebuilt")
    func applyTwiceOnOneDevice() async throws {
        guard NodeTestTools.require("mkfs.xfs", package: "xfsprogs") != nil, NodeTestTools.require("blkid", package: "util-linux") != nil else { return }
        try await LoopDevice.with(megabytes: 1024) { device, directory in
            let rootDirectory = "\(directory)/root"
            try NodeTestTools.write("LABEL=cloudimg-rootfs / ext4 discard,errors=remount-ro 0 1\n\(device) /data xfs defaults,noatime,largeio,swalloc 0 0\n", to: "\(rootDirectory)/etc/fstab")
            let configPath = try writeConfig(device: device, directory: directory)
            let runtime = NodeRuntime(root: HostRoot(directory: rootDirectory))

            let (_, first) = try await runtime.plan(configPath: configPath, devicesPath: nil, phases: [.storage])
            guard case .run(let mkfs)? = first.steps.first(where: { $0.id == "storage.filesystem" })?.operations.first,
                let uuidOption = mkfs.first(where: { $0.hasPrefix("uuid=") })
            else {
                Issue.record("the first plan has no mkfs step")
                return
            }
            let uuid = String(uuidOption.dropFirst(5))
            #expect(mkfs == ["mkfs.xfs", "-q", "-L", "gw-cache", "-m", "uuid=\(uuid)", "-d", "su=256k,sw=1", device])
            let report = try await runtime.apply(first)
            #expect(report.applied == ["storage.filesystem", "storage.mount-point", "storage.mount", "storage.fstab"])
            #expect(report.skipped.isEmpty)

            let signature = try await NodeTestTools.run(["blkid", "--probe", "--output", "export", device])
            #expect(DeviceSignature(export: signature.standardOutput) == DeviceSignature(type: "xfs", label: "gw-cache", uuid: uuid))
            let mount = try MountTable.current().mount(at: "\(rootDirectory)/data")
            #expect(mount?.filesystemType == "xfs")
            #expect(mount.map { MountTable.entry($0, isOn: device) } == true)
            let options = try #require(try HostFiles.read("/proc/self/mountinfo")).split(separator: "\n").first { $0.contains(" \(rootDirectory)/data ") }
            #expect(options?.contains("noatime") == true && options?.contains("largeio") == true && options?.contains("swalloc") == true)
            let fstab = try String(contentsOfFile: "\(rootDirectory)/etc/fstab", encoding: .utf8)
            #expect(fstab == "LABEL=cloudimg-rootfs / ext4 discard,errors=remount-ro 0 1\nUUID=\(uuid) /data xfs defaults,noatime,largeio,swalloc,nofail 0 0\n")

            // A second apply on the configured machine changes nothing.
            let (_, second) = try await runtime.plan(configPath: configPath, devicesPath: nil, phases: [.storage])
            #expect(second.notes.contains("the cache filesystem on \(device) exists: kept"))
            let again = try await runtime.apply(second)
            #expect(again.applied.isEmpty)
            #expect(again.skipped == ["storage.mount-point", "storage.mount", "storage.fstab"])
            #expect(try String(contentsOfFile: "\(rootDirectory)/etc/fstab", encoding: .utf8) == fstab)
            // A reboot: systemd mounts the fstab line after the step's check and before its mount; the
            // step's mount then fails ("already mounted"), and the step still succeeds.
            let mountStep = try #require(second.steps.first { $0.id == "storage.mount" })
            try await mountStep.apply(in: StepContext(root: HostRoot(directory: rootDirectory), runner: ProcessCommandRunner()))

            // A stop/start wipes the instance store: the filesystem is made again and mounted; fstab still fits.
            #expect(try await NodeTestTools.run(["umount", "\(rootDirectory)/data"]).succeeded)
            #expect(try await NodeTestTools.run(["wipefs", "--all", device]).succeeded)
            let (_, third) = try await runtime.plan(configPath: configPath, devicesPath: nil, phases: [.storage])
            let rebuilt = try await runtime.apply(third)
            #expect(rebuilt.applied == ["storage.filesystem", "storage.mount"])
            #expect(rebuilt.skipped == ["storage.mount-point", "storage.fstab"])
        }
    }

    @Test("a failed step stops the apply with its command, exit status and standard error")
    func failedStepStops() async throws {
        guard NodeTestTools.require("mkfs.xfs", package: "xfsprogs") != nil else { return }
        // 300 MiB is too small for an XFS log with a 256 KiB stripe unit: mkfs.xfs refuses.
        try await LoopDevice.with(megabytes: 300) { device, directory in
            let rootDirectory = "\(directory)/root"
            let configPath = try writeConfig(device: device, directory: directory)
            let runtime = NodeRuntime(root: HostRoot(directory: rootDirectory))
            let (_, plan) = try await runtime.plan(configPath: configPath, devicesPath: nil, phases: [.storage])
            do {
                _ = try await runtime.apply(plan)
                Issue.record("the apply succeeded on a device too small for XFS")
            } catch let error as NodeApplyError {
                #expect(error.step == "storage.filesystem")
                guard case .commandFailed(let argv, let termination, let standardError) = error.failure else {
                    Issue.record("unexpected failure \(error.failure)")
                    return
                }
                #expect(argv.first == "mkfs.xfs" && argv.last == device)
                #expect(termination == "exit 1")
                #expect(standardError.contains("size"))
                #expect(error.report.applied.isEmpty)
                #expect(error.description.contains("`mkfs.xfs -q -L gw-cache"))
            }
            // Nothing after the failed step ran.
            #expect(!FileManager.default.fileExists(atPath: "\(rootDirectory)/etc/fstab"))
            #expect(try MountTable.current().mount(at: "\(rootDirectory)/data") == nil)
        }
    }

    @Test("a named device with a foreign filesystem is refused before anything changes")
    func foreignDeviceRefused() async throws {
        guard NodeTestTools.require("mkfs.ext4", package: "e2fsprogs") != nil else { return }
        try await LoopDevice.with(megabytes: 64) { device, directory in
            #expect(try await NodeTestTools.run(["mkfs.ext4", "-q", "-L", "scratch", device]).succeeded)
            let configPath = try writeConfig(device: device, directory: directory)
            let runtime = NodeRuntime(root: HostRoot(directory: "\(directory)/root"))
            do {
                _ = try await runtime.plan(configPath: configPath, devicesPath: nil, phases: [.storage])
                Issue.record("a device with a foreign filesystem was accepted")
            } catch let error as NodeInputError {
                #expect(error.problems.map(\.path) == ["storage.devices[0]"])
                #expect(error.problems.first?.message == "the device \(device) holds a ext4 filesystem labelled scratch that this runtime did not create")
            }
            let signature = try await NodeTestTools.run(["blkid", "--probe", "--output", "export", device])
            #expect(DeviceSignature(export: signature.standardOutput).type == "ext4")
        }
    }
}
