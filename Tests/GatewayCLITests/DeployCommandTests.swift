import Foundation
import GatewayCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The deploy commands end to end: the real gw-cli binary, the real terraform.
@Suite("gw-cli plan/apply/destroy/runs/logs/cancel/ami")
struct DeployCommandTests {
    @Test func planReviewApplyOutputsAndDestroy() async throws {
        let cli = try DeployCLI("flow")
        defer { cli.remove() }
        let plan = try await cli.run(["plan", cli.configPath, "--bundle", cli.bundlePath, "--json"])
        #expect(plan.exit.succeeded, "\(plan.errorText)")
        let events = plan.standardOutput.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(events.count == plan.standardOutput.count)
        #expect(events.first?["type"] as? String == "run_started")
        #expect(events.last?["type"] as? String == "run_finished" && events.last?["status"] as? String == "succeeded")
        let summary = try #require(events.first { $0["type"] as? String == "plan_summary" }?["plan"] as? [String: Any])
        #expect((summary["changes"] as? [[String: Any]])?.count == 3)
        let planID = try #require(events.first?["run"] as? String)

        let unreviewed = try await cli.run(["apply", cli.configPath, "--bundle", cli.bundlePath])
        #expect(unreviewed.exit.status == .exited(2))
        #expect(unreviewed.errorText.contains("error: --plan: apply needs a reviewed plan"), "\(unreviewed.errorText)")
        #expect(unreviewed.errorText.contains("[missing-option]") && unreviewed.errorText.contains("the latest plan is \(planID)"))

        let original = try String(contentsOfFile: cli.configPath, encoding: .utf8)
        try DeployCLI.config(project: String(cli.name.dropLast(4)), maxSize: 5).write(toFile: cli.configPath, atomically: true, encoding: .utf8)
        let otherConfig = try await cli.run(["apply", cli.configPath, "--bundle", cli.bundlePath, "--plan", planID])
        #expect(otherConfig.exit.status == .exited(1))
        #expect(otherConfig.errorText.contains("was made from a different config"))
        try original.write(toFile: cli.configPath, atomically: true, encoding: .utf8)

        let apply = try await cli.run(["apply", cli.configPath, "--bundle", cli.bundlePath, "--plan", planID])
        #expect(apply.exit.succeeded, "\(apply.outputText)\n\(apply.errorText)")
        #expect(apply.standardOutput.contains("    [3/3 resources]"))
        #expect(apply.outputText.contains("Apply complete! Resources: 3 added"))

        let outputs = try await cli.run(["outputs", cli.configPath])
        #expect(outputs.standardOutput.contains(#"nodes = ["ami-0123456789abcdef0-0","ami-0123456789abcdef0-1","ami-0123456789abcdef0-2"]"#))
        #expect(outputs.outputText.contains("token = (sensitive"))
        #expect(!outputs.outputText.contains("hidden-token"))
        let json = try await cli.run(["outputs", cli.configPath, "--json"])
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(json.outputText.utf8)) as? [String: [String: Any]])
        #expect(decoded["token"]?["sensitive"] as? Bool == true && decoded["token"]?["value"] == nil)

        let runs = try await cli.run(["runs", cli.configPath])
        #expect(runs.standardOutput.count == 3)
        #expect(runs.standardOutput[1].contains("plan") && runs.standardOutput[2].contains("apply") && runs.standardOutput[2].contains("succeeded"))

        let unreviewedDestroy = try await cli.run(["destroy", cli.configPath, "--bundle", cli.bundlePath])
        #expect(unreviewedDestroy.exit.status == .exited(2) && unreviewedDestroy.errorText.contains("[missing-option]"))
        #expect(unreviewedDestroy.errorText.contains("make one with: gw-cli plan \(cli.configPath) --destroy"), "\(unreviewedDestroy.errorText)")
        let wrong = try await cli.run(["destroy", cli.configPath, "--bundle", cli.bundlePath, "--auto-approve", "--confirm", "prod"])
        #expect(wrong.exit.status == .exited(2) && wrong.errorText.contains("[confirmation-mismatch]"), "\(wrong.errorText)")
        let unconfirmed = try await cli.run(["destroy", cli.configPath, "--bundle", cli.bundlePath, "--auto-approve"])
        #expect(unconfirmed.exit.status == .exited(2) && unconfirmed.errorText.contains("error: --confirm:"), "\(unconfirmed.errorText)")

        let destroyPlan = try await cli.run(["plan", cli.configPath, "--bundle", cli.bundlePath, "--destroy"])
        #expect(destroyPlan.exit.succeeded, "\(destroyPlan.outputText)\n\(destroyPlan.errorText)")
        #expect(destroyPlan.outputText.contains("Plan: 0 to create, 0 to update, 0 to replace, 3 to destroy"), "\(destroyPlan.outputText)")
        #expect(destroyPlan.outputText.contains("Destroys by type: terraform_data 3"), "\(destroyPlan.outputText)")
        let hint = try #require(destroyPlan.standardOutput.last { $0.contains("gw-cli destroy") })
        let destroyPlanID = try #require(hint.split(separator: " ").last.map(String.init))
        #expect(hint == "Review the plan, then destroy exactly it with: gw-cli destroy \(cli.configPath) --plan \(destroyPlanID)")
        let crossed = try await cli.run(["apply", cli.configPath, "--bundle", cli.bundlePath, "--plan", destroyPlanID])
        #expect(crossed.exit.status == .exited(1) && crossed.errorText.contains("is a destroy plan"), "\(crossed.errorText)")
        let destroy = try await cli.run(["destroy", cli.configPath, "--bundle", cli.bundlePath, "--plan", destroyPlanID])
        #expect(destroy.exit.succeeded, "\(destroy.outputText)\n\(destroy.errorText)")
        #expect(destroy.outputText.contains("3 destroyed"), "\(destroy.outputText)")
    }

    @Test func ctrlCStopsTerraformAndRecordsTheRunCanceled() async throws {
        let cli = try DeployCLI("ctrl-c", nodes: 2, slowSeconds: 120)
        defer { cli.remove() }
        let stream = cli.start(["apply", cli.configPath, "--bundle", cli.bundlePath, "--auto-approve"])
        var iterator = stream.makeAsyncIterator()
        var pid: Int32?
        if case .started(let start)? = try await iterator.next() { pid = start.processID }
        let cliPID = try #require(pid)
        let before = try await waitForLine(&iterator) { $0.contains("starting slow work") }
        let runID = try #require(before.first?.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })

        let clock = ContinuousClock()
        let interruptedAt = clock.now
        kill(cliPID, SIGINT)
        let record = cli.workspaceDirectory.appendingPathComponent("runs/\(runID)/run.json")
        var recorded: Duration?
        while clock.now - interruptedAt < .seconds(60) {
            if let text = try? String(contentsOf: record, encoding: .utf8), text.contains(#""status" : "canceled""#) {
                recorded = clock.now - interruptedAt
                break
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let rest = try await drain(&iterator)
        let stopTime = try #require(recorded)
        print("Ctrl-C to run recorded canceled: \(stopTime)")
        #expect(stopTime < .seconds(15))
        #expect(rest.exit?.status == .exited(1))
        #expect(rest.lines.contains { $0.contains("canceling: the tool is stopping gracefully") })
        #expect(rest.lines.contains { $0.hasPrefix("run \(runID) canceled") })

        let events = try logEvents(cli, run: runID)
        let terraform = try #require(events.last { $0["type"] as? String == "process_started" && $0["step"] as? String == "terraform-apply" }?["processID"] as? Int)
        #expect(runningMembers(ofGroup: Int32(terraform)).isEmpty)
        #expect(events.contains { $0["type"] as? String == "signal_sent" && $0["signal"] as? String == "SIGINT" })
        let next = try await cli.run(["plan", cli.configPath, "--bundle", cli.bundlePath])
        #expect(next.exit.succeeded, "\(next.outputText)\n\(next.errorText)")
    }

    @Test func aKilledCLIsRunIsReportedInterruptedAndTheNextCommandWorks() async throws {
        let cli = try DeployCLI("kill-9", nodes: 1, slowSeconds: 120)
        defer { cli.remove() }
        let stream = cli.start(["apply", cli.configPath, "--bundle", cli.bundlePath, "--auto-approve", "--json"])
        var iterator = stream.makeAsyncIterator()
        var pid: Int32?
        if case .started(let start)? = try await iterator.next() { pid = start.processID }
        let cliPID = try #require(pid)
        let lines = try await waitForLine(&iterator) { $0.contains("starting slow work") }
        let first = try #require(lines.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        let runID = try #require(first["run"] as? String)
        let terraform = try #require(
            lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .last { $0["type"] as? String == "process_started" && $0["step"] as? String == "terraform-apply" }?["processID"] as? Int)

        kill(cliPID, SIGKILL)
        let end = try await drain(&iterator)
        #expect(end.exit?.status == .signaled(SIGKILL))

        let runs = try await cli.run(["runs", cli.configPath])
        #expect(runs.exit.succeeded)
        #expect(runs.errorText.contains("run \(runID) was interrupted: its process \(cliPID) ended without finishing the run"))
        #expect(runs.standardOutput.contains { $0.hasPrefix(runID) && $0.contains("interrupted") })
        #expect(runningMembers(ofGroup: Int32(terraform)).isEmpty)

        let plan = try await cli.run(["plan", cli.configPath, "--bundle", cli.bundlePath])
        #expect(plan.exit.succeeded, "\(plan.outputText)\n\(plan.errorText)")
        let logs = try await cli.run(["logs", runID])
        #expect(logs.standardOutput.last?.hasPrefix("run \(runID) interrupted") == true)
    }

    @Test func aSecondApplyIsRefusedAndCancelWorksFromAnotherShell() async throws {
        let cli = try DeployCLI("busy", nodes: 1, slowSeconds: 120)
        defer { cli.remove() }
        let stream = cli.start(["apply", cli.configPath, "--bundle", cli.bundlePath, "--auto-approve"])
        var iterator = stream.makeAsyncIterator()
        var pid: Int32?
        if case .started(let start)? = try await iterator.next() { pid = start.processID }
        let lines = try await waitForLine(&iterator) { $0.contains("starting slow work") }
        let runID = try #require(lines.first?.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })

        let clock = ContinuousClock()
        let start = clock.now
        let second = try await cli.run(["apply", cli.configPath, "--bundle", cli.bundlePath, "--auto-approve"])
        #expect(clock.now - start < .seconds(60))
        #expect(second.exit.status == .exited(1))
        #expect(second.errorText.contains("is busy: run \(runID) (apply) started"))
        #expect(second.errorText.contains("by process \(try #require(pid))"))

        let follower = cli.start(["logs", runID, "--follow", "--json"])
        async let followed = collectLines(follower)
        let cancel = try await cli.run(["cancel", runID])
        #expect(cancel.exit.succeeded, "\(cancel.errorText)")
        #expect(cancel.outputText.hasPrefix("run \(runID) canceled"))
        let rest = try await drain(&iterator)
        #expect(rest.exit?.status == .exited(1))
        let logged = try await followed
        let last = try #require(logged.last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(last["type"] as? String == "run_finished" && last["status"] as? String == "canceled")
        #expect(logged.contains { $0.contains(#""message":"cancel requested; stopping""#) })
    }

    @Test func secretsNeverReachTheTerminalOrTheLog() async throws {
        let secret = "cli<secret>&\(UUID().uuidString.prefix(8))"
        let cli = try DeployCLI("redact", nodes: 1, echo: secret, secretEnvironment: ["GW_TEST_S3_SECRET": secret])
        defer { cli.remove() }
        let apply = try await cli.run(["apply", cli.configPath, "--bundle", cli.bundlePath, "--auto-approve"])
        #expect(apply.exit.succeeded, "\(apply.errorText)")
        #expect(apply.outputText.contains("(local-exec): the secret is [REDACTED]"))
        #expect(!apply.outputText.contains(secret) && !apply.errorText.contains(secret))
        let runID = try #require(apply.standardOutput.first?.split(separator: " ").dropFirst().first.map { String($0.dropLast()) })
        let logs = try await cli.run(["logs", runID, "--json"])
        #expect(logs.outputText.contains("[REDACTED]"))
        #expect(!logs.outputText.contains(String(secret.suffix(8))))
        let files = FileManager.default.enumerator(atPath: cli.workspaceDirectory.appendingPathComponent("runs").path)
        while let file = files?.nextObject() as? String {
            let text = (try? String(contentsOf: cli.workspaceDirectory.appendingPathComponent("runs/\(file)"), encoding: .utf8)) ?? ""
            #expect(!text.contains(String(secret.suffix(8))), "\(file)")
        }
    }

    @Test func amiBuildRefusesAToolchainLinkedNodeBinaryBeforePacker() async throws {
        var cli = try DeployCLI("ami-refused", nodes: 1)
        defer { cli.remove() }
        cli.environment["GW_PACKER"] = try DeployCLI.fakePacker(in: cli.directory, amiID: "ami-0aaaabbbbccccdddd").path
        // The debug gw-cli links the toolchain's Swift runtime: refused given explicitly and as the default (itself).
        for extra in [["--node-binary", CLIProcess.binary.path], []] {
            let build = try await cli.run(["ami", "build", cli.configPath, "--bundle", cli.bundlePath] + extra)
            #expect(build.exit.status == .exited(1), "\(build.outputText)\n\(build.errorText)")
            #expect(build.errorText.contains("needs the Swift toolchain's libraries ") && build.errorText.contains(" libswiftCore.so,"), "\(build.errorText)")
            #expect(build.errorText.contains("build a self-contained one with scripts/build-node-binary.sh and give it as the node binary"))
        }
        #expect(TerraformTestTools.fakePackerCalls(in: cli.directory).isEmpty)
        let runs = try await cli.run(["runs", cli.configPath])
        #expect(!runs.outputText.contains("ami-build"), "\(runs.outputText)")
    }

    @Test func amiBuildRecordsTheImageForLaterPlans() async throws {
        var cli = try DeployCLI("ami", nodes: 1)
        defer { cli.remove() }
        cli.environment["GW_PACKER"] = try DeployCLI.fakePacker(in: cli.directory, amiID: "ami-0aaaabbbbccccdddd").path
        let nodeBinary = try TerraformTestTools.staticNodeBinary(in: cli.directory)
        let build = try await cli.run(["ami", "build", cli.configPath, "--bundle", cli.bundlePath, "--node-binary", nodeBinary.path])
        #expect(build.exit.succeeded, "\(build.outputText)\n\(build.errorText)")
        #expect(TerraformTestTools.fakePackerCalls(in: cli.directory).contains("build -color=false -var gw_cli_binary=\(nodeBinary.path) ."))
        #expect(build.standardOutput.contains("built ami-0aaaabbbbccccdddd in us-east-1"))
        let plan = try await cli.run(["plan", cli.configPath, "--bundle", cli.bundlePath])
        #expect(plan.outputText.contains("note: deploying AMI ami-0aaaabbbbccccdddd (from ami build "))
        let explicit = try await cli.run(["plan", cli.configPath, "--bundle", cli.bundlePath, "--ami-id", "not-an-ami"])
        #expect(
            explicit.exit.status == .exited(2) && explicit.errorText.contains(#"error: --ami: "not-an-ami" is not an AMI ID"#) && explicit.errorText.contains("[invalid-ami-id]"),
            "\(explicit.errorText)")
    }
}

private func collectLines(_ stream: ProcessEventStream) async throws -> [String] {
    var lines: [String] = []
    for try await event in stream {
        if case .output(let line) = event, line.stream == .standardOutput { lines.append(line.text) }
    }
    return lines
}
