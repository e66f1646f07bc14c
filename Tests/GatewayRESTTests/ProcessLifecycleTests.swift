import Foundation
import GatewayProvision
import Testing

/// The gw-rest binary as a real process: refusal of unsafe listeners, SIGTERM with a run in
/// progress, and a restart after a crash. Runs are AMI builds with a FAKE packer (packer cannot build
/// an AMI offline) that waits in `build`; the bundle is rendered by the real renderer.
@Suite("gw-rest process lifecycle", .serialized)
struct ProcessLifecycleTests {
    typealias Support = RESTTestSupport

    struct Setup {
        let directory: URL
        let root: URL
        let environment: [String: String]
        /// The FAKE self-contained node binary (gcc -static) ami-build requests name.
        let nodeBinary: URL
        let name = "p\(UUID().uuidString.prefix(6).lowercased())"
        var deployment: String { "\(name)-test" }

        init(packerSleep: Int) throws {
            directory = try Support.temporaryDirectory()
            root = directory.appendingPathComponent("root")
            let packer = try TerraformTooling.fakePacker(in: directory, sleepSeconds: packerSleep)
            nodeBinary = try TerraformTestTools.staticNodeBinary(in: directory)
            environment = [
                "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
                "HOME": directory.path,
                "GW_PACKER": packer.path,
                "GW_REST_TOKEN": Support.token,
            ]
        }

        var amiBuildBody: String { #"{"action": "ami-build", "nodeBinary": "\#(nodeBinary.path)"}"# }

        func start(_ extra: [String] = [], log: String) async throws -> RESTProcess {
            try await RESTProcess.start(["--workspace-root", root.path] + extra, environment: environment, logFile: directory.appendingPathComponent(log))
        }

        /// Stores the config and starts an AMI build; returns the run id once packer is building.
        func startBuild(_ server: RESTProcess) async throws -> String {
            let put = try await Curl.request("PUT", "\(server.baseURL)/v1/deployments/\(deployment)", contentType: "application/yaml", body: Support.validYAML(name: name, environment: "test"))
            #expect(put.status == 201, "\(put.text)")
            let started = try await Curl.request("POST", "\(server.baseURL)/v1/deployments/\(deployment)/runs", contentType: "application/json", body: amiBuildBody)
            #expect(started.status == 202, "\(started.text)")
            let id = try #require(try started.json()["id"] as? String)
            let stream = try Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(id)/events", maxTime: 120)
            let building = await stream.waitFor { $0.data.contains("Creating temporary keypair") }
            #expect(building, "packer build never started: \(stream.events.last?.data ?? "no events")")
            return id
        }

        func record(_ id: String) throws -> RunRecord {
            try WorkspaceRoot(url: root).deployment(holdingRun: id).record(id)
        }
    }

    @Test("Refuses a non-loopback address without a token, and bad options, with exit status 2")
    func refusals() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory.path]
        let cases: [([String], String)] = [
            (["--listen", "0.0.0.0:0"], "not a loopback address"),
            (["--listen", "nonsense"], "--listen"),
            (["--cors-origin", "*", "--listen", "127.0.0.1:0"], "--cors-origin"),
        ]
        for (arguments, expected) in cases {
            let log = directory.appendingPathComponent("refusal.log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = RESTProcess.binary
            process.arguments = arguments + ["--workspace-root", directory.path]
            process.environment = arguments.contains("--cors-origin") ? environment.merging(["GW_REST_TOKEN": Support.token]) { $1 } : environment
            process.standardOutput = try FileHandle(forWritingTo: log)
            process.standardError = try FileHandle(forWritingTo: log)
            try process.run()
            let end = ContinuousClock.now + .seconds(20)
            while process.isRunning, ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 2, "\(arguments): exit status \(process.terminationStatus)")
            #expect(output.contains(expected), "\(arguments): \(output)")
        }
    }

    @Test("Tokens from --token-file (and GW_REST_TOKEN) are accepted; others are not; /healthz needs none")
    func tokenFile() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokens = directory.appendingPathComponent("tokens")
        try "# portal\nportal-token-0123456789abcdef\n\nci-token-fedcba9876543210\n".write(to: tokens, atomically: true, encoding: .utf8)
        let environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": directory.path, "GW_REST_TOKEN": Support.token,
        ]
        let server = try await RESTProcess.start(
            ["--token-file", tokens.path, "--workspace-root", directory.appendingPathComponent("root").path],
            environment: environment, logFile: directory.appendingPathComponent("server.log"))
        do {
            for token in ["portal-token-0123456789abcdef", "ci-token-fedcba9876543210", Support.token] {
                #expect(try await Curl.request("GET", "\(server.baseURL)/v1/deployments", token: token).status == 200)
            }
            for token: String? in ["portal-token-0123456789abcdeF", "# portal", nil] {
                let refused = try await Curl.request("GET", "\(server.baseURL)/v1/deployments", token: token)
                #expect(refused.status == 401)
                #expect(refused.headers["www-authenticate"] == #"Bearer realm="gw-rest""#)
            }
            #expect(try await Curl.request("GET", "\(server.baseURL)/healthz", token: nil).status == 200)
            #expect(!server.log.contains("portal-token-0123456789abcdef"))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        #expect(await server.waitForExit(timeout: .seconds(1)) == 0)
    }

    @Test("SIGTERM: the run goes on until the deadline, then is canceled and recorded; exit 0")
    func sigtermCancelsAtTheDeadline() async throws {
        let setup = try Setup(packerSleep: 120)
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        let server = try await setup.start(["--shutdown-deadline", "2"], log: "server.log")
        do {
            let id = try await setup.startBuild(server)
            let signaled = ContinuousClock.now
            server.signal(SIGTERM)
            let status = await server.waitForExit(timeout: .seconds(60))
            #expect(status == 0, "\(server.log)")
            #expect(ContinuousClock.now - signaled >= .seconds(2))
            let record = try setup.record(id)
            #expect(record.status == .canceled, "\(record.message ?? "")")
            #expect(server.log.contains("shutdown deadline reached"))
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("A run in progress when gw-rest dies is marked interrupted when it starts again")
    func restartMarksInterrupted() async throws {
        let setup = try Setup(packerSleep: 120)
        defer { try? FileManager.default.removeItem(at: setup.directory) }
        let first = try await setup.start(log: "first.log")
        let id: String
        do {
            id = try await setup.startBuild(first)
        } catch {
            await first.stop()
            throw error
        }
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: .seconds(10))
        #expect(try setup.record(id).status == .running)

        let second = try await setup.start(log: "second.log")
        do {
            let run = try await Curl.request("GET", "\(second.baseURL)/v1/runs/\(id)")
            #expect(run.status == 200)
            let body = try run.json()
            #expect(body["status"] as? String == "interrupted", "\(run.text)")
            // The run's event stream ends with the interruption.
            let events = try await Curl.EventStream(url: "\(second.baseURL)/v1/runs/\(id)/events", maxTime: 30).finished()
            #expect(events.last?.type == "run_finished")
            #expect(try events.last?.json()["status"] as? String == "interrupted")
            // The deployment is free again.
            let next = try await Curl.request("POST", "\(second.baseURL)/v1/deployments/\(setup.deployment)/runs", contentType: "application/json", body: setup.amiBuildBody)
            #expect(next.status == 202, "\(next.text)")
            if let nextID = try? next.json()["id"] as? String {
                _ = try await Curl.request("POST", "\(second.baseURL)/v1/runs/\(nextID)/cancel")
            }
        } catch {
            await second.stop()
            throw error
        }
        await second.stop()
    }
}
