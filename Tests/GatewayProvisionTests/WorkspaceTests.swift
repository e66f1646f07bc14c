import Foundation
import GatewayCore
import GatewayProvision
import Testing

@Suite struct WorkspaceTests {
    @Test func rootComesFromTheFlagThenGWHomeThenHome() {
        #expect(WorkspaceRoot.resolve(explicit: "/srv/gw", environment: ["GW_HOME": "/x", "HOME": "/home/u"]).url.path == "/srv/gw")
        #expect(WorkspaceRoot.resolve(explicit: nil, environment: ["GW_HOME": "/x", "HOME": "/home/u"]).url.path == "/x")
        #expect(WorkspaceRoot.resolve(explicit: "", environment: ["HOME": "/home/u"]).url.path == "/home/u/.gateway")
    }

    @Test func rejectsNamesThatAreNotSafeDirectoryNames() throws {
        let root = WorkspaceRoot(url: try ProvisionTestSupport.temporaryDirectory("names"))
        defer { try? FileManager.default.removeItem(at: root.url) }
        for bad in ["", "../x", "a/b", "UPPER", ".hidden", String(repeating: "a", count: 65)] {
            #expect(throws: ProvisionError.self) { _ = try root.deployment(named: bad) }
        }
        #expect(try root.deployment(named: "s3-gateway-prod").name == "s3-gateway-prod")
        #expect(throws: ProvisionError.self) { _ = try root.existingDeployment(named: "never-made") }
        #expect(throws: ProvisionError.self) { _ = try root.deployment(holdingRun: "nonsense") }
    }

    @Test func runsLeftRunningByADeadProcessAreMarkedInterrupted() async throws {
        let root = WorkspaceRoot(url: try ProvisionTestSupport.temporaryDirectory("recover"))
        defer { try? FileManager.default.removeItem(at: root.url) }
        let workspace = try root.deployment(named: "recover-test")

        // A real process that ran the "run" and died; and a real orphaned tool process group.
        let owner = Process()
        owner.executableURL = URL(fileURLWithPath: "/bin/true")
        try owner.run()
        let ownerIdentity = ProcessIdentity.of(processID: owner.processIdentifier)
        owner.waitUntilExit()
        let tool = try startOrphanedToolGroup()
        defer { kill(-tool, SIGKILL) }

        let id = RunID.make()
        var record = RunRecord(id: id, deployment: workspace.name, action: .apply, owner: ownerIdentity, configHash: "abc")
        record.toolProcess = ProcessIdentity.of(processID: tool)
        try FileManager.default.createDirectory(at: workspace.runDirectory(id), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        try encoder.encode(record).write(to: workspace.recordURL(id))

        let recovered = await workspace.recoverInterruptedRuns()
        #expect(recovered.map(\.id) == [id])
        let saved = try workspace.record(id)
        #expect(saved.status == .interrupted)
        #expect(saved.message?.contains("process \(owner.processIdentifier)") == true)
        #expect(saved.message?.contains("was stopped with SIGINT") == true, "\(saved.message ?? "")")
        #expect(runningMembers(ofGroup: tool).isEmpty)
        #expect(try workspace.eventLog(id).events().last?.status == .interrupted)
        #expect(await workspace.recoverInterruptedRuns().isEmpty)
        #expect(throws: ProvisionError.self) { try workspace.requestCancel(id) }
    }

    /// Starts `sleep` in a process group of its own (as the runner starts tools, which then outlive
    /// their dead owner) and returns its process group ID.
    private func startOrphanedToolGroup() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        // A child in a new session (so its own process group) with default signal handling and
        // no inherited descriptors or blocked signals, like a tool whose owner died; prints its ID.
        process.arguments = [
            "-c",
            """
            import os, signal
            pid = os.fork()
            if pid == 0:
                os.setsid()
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                signal.pthread_sigmask(signal.SIG_SETMASK, [])
                null = os.open("/dev/null", os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(null, fd)
                os.closerange(3, 65536)
                os.execvp("sleep", ["sleep", "300"])
            print(pid, flush=True)
            """,
        ]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(ProcStatProbe.processGroup(of: pid) == pid)
        return pid
    }
}

enum ProcStatProbe {
    static func processGroup(of pid: Int32) -> Int32? {
        for _ in 0..<50 {
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
                let fields = stat[stat.index(after: close)...].split(separator: " ")
                if fields.count > 2, let group = Int32(fields[2]), group == pid { return group }
            }
            usleep(20_000)
        }
        return nil
    }
}
