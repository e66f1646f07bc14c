import Foundation
import GatewayCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Small helpers for tests that run real child processes (`/bin/sh` scripts as child programs).
enum ProcessTestSupport {
    /// A command that runs a `/bin/sh` script; the library itself never runs a shell, tests may.
    static func shell(
        _ script: String,
        environment: ProcessEnvironment = .inherited(),
        redacting secrets: [String] = [],
        timeout: Duration? = nil,
        stopPolicy: ProcessStopPolicy = ProcessStopPolicy(
            interruptGracePeriod: .seconds(2), terminateGracePeriod: .seconds(2), leftoverGracePeriod: .seconds(1))
    ) -> ProcessCommand {
        ProcessCommand(
            executable: "/bin/sh",
            arguments: ["-c", script],
            environment: environment,
            redactedValues: secrets,
            timeout: timeout,
            stopPolicy: stopPolicy
        )
    }

    /// Collects every event of a stream.
    static func collect(_ stream: ProcessEventStream) async throws -> [ProcessEvent] {
        var events: [ProcessEvent] = []
        for try await event in stream { events.append(event) }
        return events
    }

    static func lines(_ events: [ProcessEvent], _ stream: ProcessOutputStream? = nil) -> [String] {
        events.compactMap { event in
            guard case .output(let line) = event, stream == nil || line.stream == stream else { return nil }
            return line.text
        }
    }

    static func exit(_ events: [ProcessEvent]) -> ProcessExit? {
        guard case .exited(let exit)? = events.last else { return nil }
        return exit
    }

    static func signals(_ events: [ProcessEvent]) -> [String] {
        events.compactMap { event in
            guard case .signalSent(let record) = event else { return nil }
            return record.name
        }
    }

    static func startedPID(_ events: [ProcessEvent]) -> Int32? {
        for case .started(let start) in events { return start.processID }
        return nil
    }

    /// `true` when a process with this ID is running (zombies count as gone).
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }

    /// The running processes whose process group is `group`.
    static func runningMembers(ofGroup group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { Int32($0) }.filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && fields[2] == "\(group)" && fields[0] != "Z"
        }
    }

    /// Waits (up to `limit`) until `condition` holds.
    static func eventually(within limit: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while !condition() {
            if clock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
