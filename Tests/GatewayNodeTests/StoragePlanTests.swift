import Foundation
import GatewayCore
import Testing

@testable import GatewayNode

/// Plans for saved device layouts: the exact commands and file contents of the storage steps.
@Suite("storage plans for saved device layouts")
struct StoragePlanTests {
    func plan(_ layoutJSON: String, storage: StorageSettings = StorageSettings(), phases: Set<NodePhase> = [.storage]) throws -> NodePlan {
        let layout = try BlockDeviceLayout(lsblkJSON: Data(layoutJSON.utf8))
        return try NodePlanner(config: SampleNodes.reference(storage: storage), layout: layout, root: .system, phases: phases).plan()
    }

    func operations(_ plan: NodePlan) -> [String: [StepOperation]] {
        Dictionary(uniqueKeysWithValues: plan.steps.map { ($0.id, $0.operations) })
    }

    func fstab(_ uuid: String) -> StepOperation {
        .editLine(path: "/etc/fstab", key: "/data", line: "UUID=\(uuid) /data xfs defaults,noatime,largeio,swalloc,nofail 0 0")
    }

    let mountPoint = StepOperation.makeDirectory(path: "/data", mode: 0o755, owner: nil)

    @Test("no instance store: a directory on the root volume, and the plan says so")
    func noInstanceStore() throws {
        let plan = try plan(SavedLayouts.noInstanceStore)
        #expect(plan.steps.map(\.id) == ["storage.directory"])
        #expect(plan.steps[0].operations == [.makeDirectory(path: "/data", mode: 0o755, owner: nil)])
        #expect(plan.notes.contains { $0.hasPrefix("no instance storage found (no blank disk of model \"Amazon EC2 NVMe Instance Storage\"): the cache is a directory on the root volume (/data)") })
    }

    @Test("the instance-storage model is configurable: QEMU's NVMe disks are the cache only when named")
    func configurableDeviceModel() throws {
        let qemu = SavedLayouts.twoDevices.replacingOccurrences(of: StorageSettings.ec2InstanceStoreModel, with: "QEMU NVMe Ctrl")
        #expect(qemu != SavedLayouts.twoDevices)
        #expect(try plan(qemu).steps.map(\.id) == ["storage.directory"])
        let named = try plan(qemu, storage: StorageSettings(instanceStoreModel: "QEMU NVMe Ctrl"))
        #expect(named.steps.first?.operations.first.map { "\($0)" }?.contains("--raid-devices=2") == true)
        var invalid = GatewayConfig()
        invalid.storage.instanceStoreModel = " "
        #expect(ConfigValidator().validate(invalid).contains { $0.path == "storage.instanceStoreModel" && $0.severity == .error })
    }

    @Test("one device: XFS directly on it, mounted with the reference options, fstab by UUID with nofail")
    func oneDevice() throws {
        let plan = try plan(SavedLayouts.oneDevice)
        let uuid = "2e63cd37-bb7d-8faa-815f-c5590c372115"
        #expect(plan.steps.map(\.id) == ["storage.filesystem", "storage.mount-point", "storage.mount", "storage.fstab", "storage.daemon-reload"])
        #expect(
            operations(plan) == [
                "storage.filesystem": [.run(["mkfs.xfs", "-q", "-L", "gw-cache", "-m", "uuid=\(uuid)", "-d", "su=256k,sw=1", "/dev/nvme1n1"])],
                "storage.mount-point": [mountPoint],
                "storage.mount": [.run(["mount", "-t", "xfs", "-o", "defaults,noatime,largeio,swalloc", "/dev/nvme1n1", "/data"])],
                "storage.fstab": [fstab(uuid)],
                "storage.daemon-reload": [.run(["systemctl", "daemon-reload"])],
            ])
    }

    @Test("two devices: RAID 0 with matching stripe, mdadm.conf, filesystem, mount, fstab")
    func twoDevices() throws {
        let plan = try plan(SavedLayouts.twoDevices)
        let array = "65447f35-56eb-849d-987f-b6e35917883e"
        let filesystem = "4452ab9a-14fb-82e0-90f1-e345f01a816c"
        #expect(plan.steps.map(\.id) == ["storage.array", "storage.mdadm-conf", "storage.filesystem", "storage.mount-point", "storage.mount", "storage.fstab", "storage.daemon-reload"])
        #expect(
            operations(plan) == [
                "storage.array": [
                    .run([
                        "mdadm", "--create", "/dev/md/gw-cache", "--run", "--level=0", "--raid-devices=2", "--chunk=256", "--metadata=1.2", "--homehost=any", "--name=gw-cache",
                        "--uuid=\(StableIdentifier.mdadmNotation(array))", "/dev/nvme1n1", "/dev/nvme2n1",
                    ])
                ],
                "storage.mdadm-conf": [
                    .editLine(path: "/etc/mdadm/mdadm.conf", key: "ARRAY /dev/md/gw-cache", line: "ARRAY /dev/md/gw-cache metadata=1.2 UUID=\(StableIdentifier.mdadmNotation(array))")
                ],
                "storage.filesystem": [.run(["mkfs.xfs", "-q", "-L", "gw-cache", "-m", "uuid=\(filesystem)", "-d", "su=256k,sw=2", "/dev/md/gw-cache"])],
                "storage.mount-point": [mountPoint],
                "storage.mount": [.run(["mount", "-t", "xfs", "-o", "defaults,noatime,largeio,swalloc", "/dev/md/gw-cache", "/data"])],
                "storage.fstab": [fstab(filesystem)],
                "storage.daemon-reload": [.run(["systemctl", "daemon-reload"])],
            ])
    }

    @Test("four devices: all of them in the array, sw=4, natural device order")
    func fourDevices() throws {
        let plan = try plan(SavedLayouts.fourDevices)
        let ops = operations(plan)
        guard case .run(let create)? = ops["storage.array"]?.first, case .run(let mkfs)? = ops["storage.filesystem"]?.first else {
            Issue.record("no array or filesystem step")
            return
        }
        #expect(Array(create.prefix(5)) == ["mdadm", "--create", "/dev/md/gw-cache", "--run", "--level=0"])
        #expect(create.contains("--raid-devices=4") && create.contains("--chunk=256"))
        #expect(Array(create.suffix(4)) == ["/dev/nvme1n1", "/dev/nvme2n1", "/dev/nvme3n1", "/dev/nvme4n1"])
        #expect(mkfs.contains("su=256k,sw=4") && mkfs.last == "/dev/md/gw-cache")
        #expect(plan.notes.contains("4 instance-storage devices: RAID 0 over all of them as /dev/md/gw-cache"))
    }

    @Test("an existing running array is kept: no create, no mkfs, its own UUIDs in mdadm.conf and fstab")
    func existingArray() throws {
        let plan = try plan(SavedLayouts.existingArray)
        #expect(plan.steps.map(\.id) == ["storage.mdadm-conf", "storage.mount-point", "storage.mount", "storage.fstab", "storage.daemon-reload"])
        #expect(
            operations(plan)["storage.mdadm-conf"] == [
                .editLine(path: "/etc/mdadm/mdadm.conf", key: "ARRAY /dev/md/gw-cache", line: "ARRAY /dev/md/gw-cache metadata=1.2 UUID=3c1e2f40:5a6b8c7d:9e0fa1b2:c3d4e5f6")
            ])
        #expect(operations(plan)["storage.fstab"] == [fstab("7d9e1f2a-3b4c-8d5e-af60-718293a4b5c6")])
        #expect(plan.notes.contains("the cache array /dev/md127 is running over /dev/nvme1n1, /dev/nvme2n1: kept"))
    }

    @Test("an existing stopped array is assembled, never recreated")
    func stoppedArray() throws {
        let plan = try plan(SavedLayouts.stoppedArray)
        #expect(plan.steps.map(\.id) == ["storage.array", "storage.mdadm-conf", "storage.filesystem", "storage.mount-point", "storage.mount", "storage.fstab", "storage.daemon-reload"])
        #expect(operations(plan)["storage.array"] == [.run(["mdadm", "--assemble", "/dev/md/gw-cache", "/dev/nvme1n1", "/dev/nvme2n1"])])
        #expect(!plan.steps.flatMap(\.operations).contains { if case .run(let argv) = $0 { return argv.contains("--create") } else { return false } })
    }

    @Test("a device with a foreign filesystem is never used; the other one is")
    func foreignFilesystem() throws {
        let plan = try plan(SavedLayouts.foreignFilesystem)
        #expect(plan.notes.contains("skipped /dev/nvme1n1: it holds a ext4 filesystem labelled scratch that this runtime did not create"))
        #expect(!plan.steps.flatMap(\.operations).contains { if case .run(let argv) = $0 { return argv.contains("/dev/nvme1n1") } else { return false } })
        guard case .run(let mkfs)? = operations(plan)["storage.filesystem"]?.first else {
            Issue.record("no filesystem step")
            return
        }
        #expect(mkfs.last == "/dev/nvme2n1" && mkfs.contains("su=256k,sw=1"))
    }

    @Test("the root device is never chosen, even when it reports the instance-storage model")
    func rootOnNVMe() throws {
        let plan = try plan(SavedLayouts.rootOnInstanceStorageModel)
        #expect(plan.notes.contains("skipped /dev/nvme0n1: it holds the root filesystem"))
        #expect(!plan.steps.flatMap(\.operations).contains { if case .run(let argv) = $0 { return argv.contains("/dev/nvme0n1") } else { return false } })
        guard case .run(let mkfs)? = operations(plan)["storage.filesystem"]?.first else {
            Issue.record("no filesystem step")
            return
        }
        #expect(mkfs.last == "/dev/nvme1n1")
    }

    @Test("ext4 gets stride and stripe width from the chunk size")
    func ext4Stripes() throws {
        let storage = StorageSettings(filesystem: "ext4", mountOptions: "defaults,noatime")
        let plan = try plan(SavedLayouts.fourDevices, storage: storage)
        guard case .run(let mkfs)? = operations(plan)["storage.filesystem"]?.first else {
            Issue.record("no filesystem step")
            return
        }
        #expect(Array(mkfs.prefix(4)) == ["mkfs.ext4", "-q", "-L", "gw-cache"])
        #expect(mkfs.contains("stride=64,stripe_width=256"))
        guard case .editLine(_, _, let line?)? = operations(plan)["storage.fstab"]?.first else {
            Issue.record("no fstab step")
            return
        }
        #expect(line.hasSuffix(" /data ext4 defaults,noatime,nofail 0 2"))
    }

    @Test("plans are deterministic: the same layout gives the same commands")
    func deterministic() throws {
        let first = try plan(SavedLayouts.fourDevices).steps.map(\.operations)
        let second = try plan(SavedLayouts.fourDevices).steps.map(\.operations)
        #expect(first == second)
    }
}
