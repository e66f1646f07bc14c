import Foundation
import GatewayCore
import Testing

@testable import GatewayNode

/// Bad input is reported with the field and a fix, before any step runs.
@Suite("bad node input")
struct BadInputTests {
    func problems(_ config: NodeConfig, layout: String = SavedLayouts.twoDevices, root: HostRoot = .system) -> [ConfigProblem] {
        do {
            let devices = try BlockDeviceLayout(lsblkJSON: Data(layout.utf8))
            _ = try NodePlanner(config: config, layout: devices, root: root).plan()
            return []
        } catch let error as NodeInputError {
            return error.problems
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test("a node config naming a device that does not exist")
    func missingDevice() {
        let config = SampleNodes.reference(storage: StorageSettings(devices: ["/dev/nvme1n1", "/dev/nvme7n1"]))
        let found = problems(config)
        #expect(found.map(\.path) == ["storage.devices[1]"])
        #expect(found.first?.message == "the device /dev/nvme7n1 does not exist on this machine")
        #expect(found.first?.hint.contains("/dev/nvme0n1, /dev/nvme1n1, /dev/nvme2n1") == true)
    }

    @Test("a node config naming the root device")
    func rootDevice() {
        let found = problems(SampleNodes.reference(storage: StorageSettings(devices: ["/dev/nvme0n1"])))
        #expect(found.map(\.message) == ["the device /dev/nvme0n1 holds the root filesystem"])
    }

    @Test("a cache mount point that is a file, and a filespace mount point below a file")
    func mountPointIsAFile() throws {
        let root = try NodeTestTools.temporaryDirectory("badroot")
        defer { try? FileManager.default.removeItem(atPath: root) }
        try NodeTestTools.write("not a directory\n", to: "\(root)/data")
        try NodeTestTools.write("", to: "\(root)/media/lucidlink")
        let found = problems(SampleNodes.reference(), root: HostRoot(directory: root))
        #expect(found.map(\.path) == ["storage.cacheMountPoint", "filespaces[0].mountPoint"])
        #expect(found.first?.message == "the mount point \(root)/data is a file, not a directory")
        #expect(found.last?.message == "the mount point \(root)/media/lucidlink/mycompany cannot be created: \(root)/media/lucidlink is a file")
        // Nothing was touched.
        #expect(try String(contentsOfFile: "\(root)/data", encoding: .utf8) == "not a directory\n")
    }

    @Test("a filespace without credentials, and gateways without root keys")
    func missingCredentials() {
        var config = SampleNodes.reference()
        config.filespaces[0].password = .unset
        config.gateways.rootSecretKey = .unset
        let found = problems(config)
        #expect(found.map(\.path) == ["filespaces[0].password", "gateways.rootSecretKey"])
        #expect(found.first?.message == "is required")
        #expect(found.first?.hint == "give it as env:NAME, file:PATH or ssm:/PATH")
    }

    @Test("several problems are reported together")
    func allAtOnce() {
        var config = SampleNodes.reference(storage: StorageSettings(cacheMountPoint: "/media/lucidlink/mycompany/cache", devices: ["sdb"]))
        config.filespaces[0].clientVersion = 4
        config.gateways.ports = [7070, 7070]
        config.gateways.iamDir = "/srv/iam"
        let paths = problems(config).map(\.path)
        #expect(paths.contains("storage.cacheMountPoint"))
        #expect(paths.contains("storage.devices[0]"))
        #expect(paths.contains("filespaces[0].clientVersion"))
        #expect(paths.contains("gateways.ports[1]"))
        #expect(paths.contains("gateways.iamDir"))
    }

    @Test("an unreadable node.json and a layout without sizes in bytes")
    func unreadableFiles() throws {
        let directory = try NodeTestTools.temporaryDirectory("badfiles")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try NodeTestTools.write(#"{"version": 1, "deployment": "x"}"#, to: "\(directory)/node.json")
        #expect(throws: NodeInputError.self) { try NodeConfigFile.load("\(directory)/node.json") }
        do {
            _ = try NodeConfigFile.load("\(directory)/node.json")
        } catch {
            #expect(error.problems.first?.path == "region")
            #expect(error.problems.first?.message.contains("is missing") == true)
        }
        try NodeTestTools.write(#"{"blockdevices":[{"name":"nvme1n1","size":"442.4G","model":"Amazon EC2 NVMe Instance Storage"}]}"#, to: "\(directory)/lsblk.json")
        do {
            _ = try NodeRuntime.savedLayout("\(directory)/lsblk.json")
            Issue.record("a human-readable size was accepted")
        } catch {
            #expect(error.problems.first?.message.contains("not a number of bytes; save the layout with --bytes") == true)
        }
    }
}

extension BadInputTests {
    @Test("another device already mounted at the cache mount point")
    func cacheMountPointTaken() {
        let ebsOnData =
            #"  {"name":"nvme5n1","path":"/dev/nvme5n1","type":"disk","size":107374182400,"model":"Amazon Elastic Block Store","serial":"vol05","fstype":"xfs","label":null,"uuid":"5e5e5e5e-0000-4000-8000-000000000005","mountpoints":["/data"]}"#
        let layout = SavedLayouts.layout([SavedLayouts.rootVolume, SavedLayouts.instanceStore(1), ebsOnData])
        let found = problems(SampleNodes.reference(), layout: layout)
        #expect(found.map(\.path) == ["storage.cacheMountPoint"])
        #expect(found.first?.message == "/data is already a mount of /dev/nvme5n1, not of the cache device /dev/nvme1n1")
    }
}
