import Foundation
import GatewayCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("ProcessRunner with real child processes")
struct ProcessRunnerTests {
    let runner = ProcessRunner()
    typealias Support = ProcessTestSupport

    @Test func deliversBothStreamsLineByLineAndExitStatusAsData() async throws {
        let before = Date()
        let events = try await Support.collect(
            runner.events(for: Support.shell("echo one; echo two; echo oops >&2; printf 'no newline'; exit 3")))
        #expect(Support.lines(events, .standardOutput) == ["one", "two", "no newline"])
        #expect(Support.lines(events, .standardError) == ["oops"])
        guard case .started(let start)? = events.first else {
            Issue.record("first event is not .started: \(String(describing: events.first))")
            return
        }
        #expect(start.processID > 1)
        let exit = try #require(Support.exit(events))
        #expect(exit.status == .exited(3))
        #expect(exit.exitCode == 3)
        #expect(!exit.succeeded)
        #expect(exit.stopReason == nil)
        for case .output(let line) in events {
            #expect(line.time >= before && line.time <= exit.endTime)
        }
    }

    @Test func handlesCarriageReturnsEmptyLinesAndInvalidUTF8() async throws {
        let events = try await Support.collect(
            runner.events(for: Support.shell(#"printf 'a\r\n\nb\377c\n'"#)))
        #expect(Support.lines(events) == ["a", "", "b\u{FFFD}c"])
    }

    @Test func splitsOverlongLines() async throws {
        var command = Support.shell("printf '%s\\n' 0123456789abcdefghij")
        command.maximumLineLength = 8
        let events = try await Support.collect(runner.events(for: command))
        #expect(Support.lines(events) == ["01234567", "89abcdef", "ghij"])
    }

    @Test func streamsLargeOutputCompletelyAndInOrder() async throws {
        let count = 200_000
        let stream = runner.events(for: Support.shell("seq 1 \(count)"))
        var expected = 1
        var inOrder = true
        for try await event in stream {
            if case .output(let line) = event {
                if line.text != String(expected) { inOrder = false }
                expected += 1
            }
        }
        #expect(inOrder)
        #expect(expected - 1 == count)
    }

    @Test func standardInputIsClosed() async throws {
        // `cat` with no arguments reads standard input; with stdin closed it ends at once instead
        // of waiting for a person to type.
        let result = try await runner.run(ProcessCommand(executable: "cat", timeout: .seconds(120)))
        #expect(result.exit.succeeded)
        #expect(result.standardOutput.isEmpty)
    }

    @Test func childrenStartWithNoBlockedOrIgnoredStopSignals() async throws {
        // Whatever this process blocks or ignores, a tool must be stoppable with SIGINT and SIGTERM.
        let result = try await runner.run(ProcessCommand(executable: "cat", arguments: ["/proc/self/status"]))
        let fields = Dictionary(
            uniqueKeysWithValues: result.standardOutput.compactMap { line -> (String, String)? in
                let parts = line.split(separator: ":", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), parts[1].trimmingCharacters(in: .whitespaces)) : nil
            })
        let blockedText = try #require(fields["SigBlk"])
        let ignoredText = try #require(fields["SigIgn"])
        let blocked = try #require(UInt64(blockedText, radix: 16))
        let ignored = try #require(UInt64(ignoredText, radix: 16))
        #expect(blocked == 0)
        for signal in [SIGINT, SIGTERM] {
            #expect(ignored & (1 << UInt64(signal - 1)) == 0)
        }
    }

    @Test func passesOnlyAllowlistedAndAddedEnvironment() async throws {
        let parent = ["PATH": "/usr/bin:/bin", "HOME": "/home/x", "AWS_SECRET_ACCESS_KEY": "leak", "LC_TIME": "C", "OTHER": "no"]
        let environment = ProcessEnvironment.inherited(from: parent).adding(["TF_IN_AUTOMATION": "1"])
        let result = try await runner.run(ProcessCommand(executable: "env", environment: environment))
        #expect(Set(result.standardOutput) == ["PATH=/usr/bin:/bin", "HOME=/home/x", "LC_TIME=C", "TF_IN_AUTOMATION=1"])

        let withAWS = ProcessEnvironment.inherited(from: parent, prefixes: ["AWS_"])
        #expect(withAWS["AWS_SECRET_ACCESS_KEY"] == "leak")
        #expect(withAWS["OTHER"] == nil)
    }

    @Test func redactsSecretsBeforeAnyoneSeesALine() async throws {
        let secret = #"pa"ss<word>&1"#
        let script = #"""
            printf '%s\n' 'plain: pa"ss<word>&1'
            printf '%s\n' 'json: pa\"ss<word>&1'
            printf '%s\n' 'go-json: pa\"ss\u003cword\u003e\u00261'
            printf '%s\n' 'stderr: pa"ss<word>&1' >&2
            printf '%s\n' 'harmless: password'
            """#
        let result = try await runner.run(Support.shell(script, redacting: [secret, ""]))
        #expect(result.standardOutput == ["plain: [REDACTED]", "json: [REDACTED]", "go-json: [REDACTED]", "harmless: password"])
        #expect(result.standardError == ["stderr: [REDACTED]"])
        let described = "\(Support.shell("echo \(secret)", redacting: [secret]))"
        #expect(!described.contains(secret))
    }

    @Test func reportsMissingProgramsAndDirectoriesAsErrors() async throws {
        await #expect(throws: ProcessError.self) {
            _ = try await runner.run(ProcessCommand(executable: "gateway-no-such-program-\(UUID().uuidString)"))
        }
        do {
            _ = try await runner.run(ProcessCommand(executable: "/nonexistent/\(UUID().uuidString)"))
            Issue.record("expected an error")
        } catch let error as ProcessError {
            #expect(error.code == .executableNotFound)
        }
        let plainFile = FileManager.default.temporaryDirectory.appendingPathComponent("gw-not-executable-\(UUID().uuidString)")
        try Data("echo hi\n".utf8).write(to: plainFile)
        defer { try? FileManager.default.removeItem(at: plainFile) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: plainFile.path)
        do {
            _ = try await runner.run(ProcessCommand(executable: plainFile.path))
            Issue.record("expected an error")
        } catch let error as ProcessError {
            #expect(error.code == .notExecutable)
        }
        do {
            _ = try await runner.run(ProcessCommand(executable: "/bin/true", workingDirectory: "/nonexistent-\(UUID().uuidString)"))
            Issue.record("expected an error")
        } catch let error as ProcessError {
            #expect(error.code == .workingDirectoryUnavailable)
            #expect(error.message.contains("working directory"))
        }
    }

    @Test func timeoutStopsTheChildGracefully() async throws {
        let script = "trap 'echo interrupted; exit 130' INT; echo ready; while :; do sleep 0.05; done"
        // A generous SIGINT grace period: on a loaded machine the shell may need a while to run its trap.
        let patient = ProcessStopPolicy(interruptGracePeriod: .seconds(30), terminateGracePeriod: .seconds(2), leftoverGracePeriod: .seconds(1))
        let events = try await Support.collect(runner.events(for: Support.shell(script, timeout: .seconds(1), stopPolicy: patient)))
        let exit = try #require(Support.exit(events))
        #expect(exit.stopReason == .timedOut)
        #expect(exit.status == .exited(130))
        #expect(Support.lines(events) == ["ready", "interrupted"])
        #expect(Support.signals(events) == ["SIGINT"])
    }

    @Test func cancellingTheConsumerStopsTheChildAndStillDeliversItsEnd() async throws {
        let script = "trap 'echo cleaning up; exit 0' INT; echo ready; while :; do sleep 0.05; done"
        let stream = runner.events(for: Support.shell(script))
        let consumer = Task { () throws -> [ProcessEvent] in
            var events: [ProcessEvent] = []
            for try await event in stream {
                events.append(event)
                if case .output(let line) = event, line.text == "ready" {
                    withUnsafeCurrentTask { $0?.cancel() }
                }
            }
            return events
        }
        let events = try await consumer.value
        let exit = try #require(Support.exit(events))
        #expect(exit.stopReason == .canceled)
        #expect(exit.status == .exited(0))
        #expect(Support.lines(events) == ["ready", "cleaning up"])
    }

    @Test func escalatesToTermAndKillWhenSignalsAreIgnored() async throws {
        let script = "trap '' INT TERM; echo ready; while :; do sleep 0.05; done"
        let command = Support.shell(
            script,
            stopPolicy: ProcessStopPolicy(
                interruptGracePeriod: .milliseconds(200), terminateGracePeriod: .milliseconds(200),
                leftoverGracePeriod: .milliseconds(200)))
        let stream = runner.events(for: command)
        var events: [ProcessEvent] = []
        for try await event in stream {
            events.append(event)
            if case .output(let line) = event, line.text == "ready" { stream.stop() }
        }
        #expect(Support.signals(events) == ["SIGINT", "SIGTERM", "SIGKILL"])
        let exit = try #require(Support.exit(events))
        #expect(exit.status == .signaled(SIGKILL))
        #expect(exit.stopReason == .canceled)
    }

    @Test func stopReachesTheWholeGroupAndLeavesNothingBehind() async throws {
        // The child starts a grandchild that would outlive it; both are in the run's group.
        let script = "sleep 60 & echo grandchild $!; wait"
        let stream = runner.events(for: Support.shell(script))
        var events: [ProcessEvent] = []
        var grandchild: Int32?
        for try await event in stream {
            events.append(event)
            if case .output(let line) = event, line.text.hasPrefix("grandchild ") {
                grandchild = Int32(line.text.dropFirst("grandchild ".count))
                stream.stop()
            }
        }
        let group = try #require(Support.startedPID(events))
        #expect(try #require(Support.exit(events)).stopReason == .canceled)
        #expect(Support.runningMembers(ofGroup: group).isEmpty)
        #expect(!Support.isRunning(try #require(grandchild)))
    }

    @Test func processesLeftInTheGroupAfterANormalExitAreStopped() async throws {
        let result = try await runner.run(Support.shell("sleep 60 & echo $!"))
        #expect(result.exit.succeeded)
        let leftover = try #require(Int32(result.outputText))
        #expect(await Support.eventually { !Support.isRunning(leftover) })
    }

    @Test func stoppingOneRunNeverTouchesAnother() async throws {
        let bystander = runner.events(for: Support.shell("echo up; sleep 1; echo bystander done"))
        async let bystanderEvents = Support.collect(bystander)
        let victim = runner.events(for: Support.shell("trap 'exit 5' INT; echo up; while :; do sleep 0.05; done"))
        var victimEvents: [ProcessEvent] = []
        for try await event in victim {
            victimEvents.append(event)
            if case .output = event { victim.stop() }
        }
        #expect(Support.exit(victimEvents)?.status == .exited(5))
        let other = try await bystanderEvents
        #expect(Support.exit(other)?.succeeded == true)
        #expect(Support.lines(other) == ["up", "bystander done"])
    }

    @Test func leavingTheLoopEarlyStopsTheChild() async throws {
        var pid: Int32?
        do {
            let stream = runner.events(for: Support.shell("while :; do echo tick; sleep 0.01; done"))
            for try await event in stream {
                if case .started(let start) = event { pid = start.processID }
                if case .output = event { break }
            }
        }
        let child = try #require(pid)
        #expect(await Support.eventually { !Support.isRunning(child) })
    }

    @Test func aStreamCanBeReadOnlyOnce() async throws {
        let stream = runner.events(for: Support.shell("echo once"))
        let first = try await Support.collect(stream)
        #expect(Support.lines(first) == ["once"])
        await #expect(throws: ProcessError.self) { _ = try await Support.collect(stream) }
    }

    @Test func runCapturesOutputUpToTheLimit() async throws {
        let result = try await runner.run(Support.shell("seq 1 1000; echo err >&2"), outputLimit: 20)
        #expect(result.truncated)
        #expect(result.standardOutput.joined(separator: "\n").utf8.count <= 20)
        #expect(result.exit.succeeded)
    }
}
