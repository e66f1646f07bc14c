import Foundation
import GatewayCore
import Testing

@testable import GatewayNode

@Suite("runtime parts")
struct RuntimePartsTests {
    @Test("stable UUIDs depend on the device serials only, and are RFC 9562 version 8")
    func stableIdentifier() {
        let one = BlockDevice(name: "nvme1n1", path: "/dev/nvme1n1", type: "disk", size: 1, serial: "AWS11F2E3D4C5B6A7980")
        let moved = BlockDevice(name: "nvme3n1", path: "/dev/nvme3n1", type: "disk", size: 2, serial: "AWS11F2E3D4C5B6A7980")
        let other = BlockDevice(name: "nvme1n1", path: "/dev/nvme1n1", type: "disk", size: 1, serial: "AWS99F2E3D4C5B6A7980")
        let uuid = StableIdentifier.uuid(purpose: "filesystem", devices: [one])
        #expect(uuid == "2e63cd37-bb7d-8faa-815f-c5590c372115")
        #expect(StableIdentifier.uuid(purpose: "filesystem", devices: [moved]) == uuid)
        #expect(StableIdentifier.uuid(purpose: "filesystem", devices: [other]) != uuid)
        #expect(StableIdentifier.uuid(purpose: "array", devices: [one]) != uuid)
        let characters = Array(uuid)
        #expect(characters[14] == "8" && "89ab".contains(characters[19]))
        #expect(StableIdentifier.mdadmNotation(uuid) == "2e63cd37:bb7d8faa:815fc559:0c372115")
    }

    @Test("directories get their mode, the parents made for them 0755 (a service account must reach its own)")
    func directoryParentsStayTraversable() throws {
        let base = NSTemporaryDirectory() + "gw-dirs-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: base) }
        try HostFiles.makeDirectories(base + "/lucidlink/mycompany", mode: 0o750)
        #expect(HostFiles.mode(base) == 0o755)
        #expect(HostFiles.mode(base + "/lucidlink") == 0o755)
        #expect(HostFiles.mode(base + "/lucidlink/mycompany") == 0o750)
        try "x".write(toFile: base + "/file", atomically: true, encoding: .utf8)
        #expect(throws: StepError.self) { try HostFiles.makeDirectories(base + "/file/sub", mode: 0o700) }
    }

    @Test("line edits keep other lines, replace ours in place, and are idempotent")
    func lineEdit() {
        let edit = LineEdit(matches: { $0.split(separator: " ").dropFirst().first == "/data" }, line: "UUID=x /data xfs nofail 0 0")
        let before = "# comment\n/dev/nvme1n1 /data xfs defaults 0 0\nUUID=r / ext4 defaults 0 1\n/dev/old /data xfs defaults 0 0\n"
        let after = edit.apply(to: before)
        #expect(after == "# comment\nUUID=x /data xfs nofail 0 0\nUUID=r / ext4 defaults 0 1\n")
        #expect(edit.apply(to: after) == after)
        #expect(edit.apply(to: nil) == "UUID=x /data xfs nofail 0 0\n")
        #expect(LineEdit(matches: { $0.hasSuffix("/data xfs nofail 0 0") }, line: nil).apply(to: after) == "# comment\nUUID=r / ext4 defaults 0 1\n")
    }

    @Test("mountinfo lines are parsed, with escaped spaces")
    func mountTable() {
        let table = MountTable(
            mountinfo: """
                25 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw
                42 25 9:0 / /data rw,noatime shared:30 - xfs /dev/md0 rw,swalloc,largeio
                43 25 0:52 / /media/lucidlink/my\\040files rw,nosuid,nodev - fuse.lucid lucid rw,user_id=999,group_id=999,allow_other
                """)
        #expect(table.entries.count == 3)
        #expect(table.mount(at: "/data") == .init(major: 9, minor: 0, mountPoint: "/data", filesystemType: "xfs", source: "/dev/md0"))
        #expect(table.mount(at: "/media/lucidlink/my files")?.filesystemType == "fuse.lucid")
        #expect(table.mount(at: "/srv") == nil)
    }

    @Test("LucidLink status and config listings are read as the reference read them")
    func lucidLinkParsing() {
        #expect(LucidLinkClient.isLinked(status: "Client state: Linked\nFilespace: mycompany.dmpfs"))
        #expect(!LucidLinkClient.isLinked(status: "Client state: Unlinked"))
        #expect(!LucidLinkClient.isLinked(status: "Client state: Linking"))
        let listing = "DataCache.Location         /data/lucidlink/mycompany/cache\nDataCache.Size: 600GiB\n"
        #expect(LucidLinkClient.value(of: "DataCache.Location", inListing: listing) == "/data/lucidlink/mycompany/cache")
        #expect(LucidLinkClient.value(of: "DataCache.Size", inListing: listing) == "600GiB")
        #expect(LucidLinkClient.size("600GiB", equalsGiB: 600))
        #expect(LucidLinkClient.size("644245094400", equalsGiB: 600))
        #expect(!LucidLinkClient.size("500GiB", equalsGiB: 600))
        let client = LucidLinkClient(filespace: SampleNodes.twoFilespaces().filespaces[1])
        #expect(client.statusCommand == ["/usr/bin/lucid2", "--instance", "501", "status"])
        #expect(client.setCommand("DataCache.Size", "80GiB") == ["/usr/bin/lucid2", "--instance", "501", "config", "--set", "--DataCache.Size", "80GiB"])
    }

    @Test("the cache size is the share of the basis, split between filespaces, clamped")
    func cacheSizing() {
        let storage = StorageSettings()
        let gib: UInt64 = 1 << 30
        #expect(CacheSizing.sizeGiB(basisBytes: 400 * gib, storage: storage, filespaces: 1) == 320)
        #expect(CacheSizing.sizeGiB(basisBytes: 400 * gib, storage: storage, filespaces: 2) == 160)
        #expect(CacheSizing.sizeGiB(basisBytes: 3_700 * gib, storage: storage, filespaces: 1) == 600)
        #expect(CacheSizing.sizeGiB(basisBytes: 8 * gib, storage: storage, filespaces: 1) == 10)
        #expect(CacheSizing.sizeGiB(basisBytes: 400 * gib, storage: StorageSettings(cacheSharePercent: 50, cacheMaxGiB: 150), filespaces: 1) == 150)
    }

    @Test("a wait ends as soon as its condition holds, and times out with a clear error otherwise")
    func waits() async throws {
        let directory = try NodeTestTools.temporaryDirectory("wait")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let flag = "\(directory)/ready"
        let probe = ["test", "-e", flag]
        let step = NodeStep.wait(id: "test.wait", phase: .host, title: "Wait for the flag", condition: "\(flag) exists", probe: probe, timeout: { $0.mounted }) { context in
            let output = try await context.probe(probe)
            return (output.succeeded, "exit \(output.exitCode ?? -1)")
        }
        let context = StepContext(root: .system, runner: ProcessCommandRunner(), waits: WaitPolicy(mounted: .seconds(2), pollInterval: .milliseconds(50)))
        #expect(try await !step.isDone(in: context))
        await #expect(throws: StepError.timedOut(condition: "\(flag) exists", seconds: 2, lastOutput: "exit 1")) {
            try await step.apply(in: context)
        }
        let creator = Task {
            try await Task.sleep(for: .milliseconds(300))
            _ = FileManager.default.createFile(atPath: flag, contents: nil)
        }
        // A long timeout, so only a wait that ends when the flag appears (not at its deadline) is quick,
        // even on a loaded machine where each probe process takes a while to start.
        let patient = StepContext(root: .system, runner: ProcessCommandRunner(), waits: WaitPolicy(mounted: .seconds(60), pollInterval: .milliseconds(50)))
        let clock = ContinuousClock()
        let elapsed = try await clock.measure { try await step.apply(in: patient) }
        try await creator.value
        #expect(elapsed < .seconds(20), "the wait went on after the flag appeared: \(elapsed)")
        #expect(try await step.isDone(in: patient))
    }

    @Test("the journal restarts changed units and template instances, and reloads once")
    func journal() {
        let journal = ApplyJournal()
        journal.recordUnitFileChange("versitygw@.service")
        #expect(journal.needsRestart("versitygw@7070.service"))
        #expect(journal.needsReload(["versitygw@.service"]))
        journal.recordReload()
        #expect(!journal.needsReload(["versitygw@.service"]))
        journal.recordRestart(["versitygw@7070.service", "versitygw@7071.service"])
        #expect(!journal.needsRestart("versitygw@7071.service"))
        journal.recordCredentialChange(for: "lucidlink-a.service")
        #expect(journal.needsRestart("lucidlink-a.service") && !journal.needsReload(["lucidlink-a.service"]))
    }

    @Test("the command runner reports exit status, output and redacts secrets")
    func runner() async throws {
        let runner = ProcessCommandRunner()
        let echo = try await runner.run(["echo", "out-s3cret"], environment: [:], redacting: ["s3cret"], timeout: .seconds(10))
        #expect(echo.succeeded && echo.standardOutput == "out-[REDACTED]", "\(echo.termination): \(echo.standardOutput) \(echo.standardError)")
        let failing = try await runner.run(["ls", "/nonexistent-gw-node-path"], environment: ["LC_ALL": "C"], redacting: [], timeout: .seconds(10))
        #expect(failing.exitCode == 2 && failing.termination == "exit 2")
        #expect(failing.standardError.contains("No such file or directory"))
        let slow = try await runner.run(["sleep", "30"], environment: [:], redacting: [], timeout: .milliseconds(200))
        #expect(slow.exitCode == nil && slow.termination == "timed out")
        await #expect(throws: CommandLaunchError.self) { try await runner.run(["/nonexistent/tool"]) }
    }
}
