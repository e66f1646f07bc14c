import GatewayCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Stops the tool process group an interrupted run left behind (its owner died, so nobody reads
/// the tool's output or records its end). The same sequence as a cancellation: SIGINT, so
/// terraform can finish what is in flight, write state and release its state lock, then SIGTERM,
/// then SIGKILL. Only that group is signalled, and only when it is provably the one the run started.
enum OrphanedToolStopper {
    static let interruptGrace: Duration = .seconds(60)
    static let terminateGrace: Duration = .seconds(15)

    /// Stops the group if it still runs; returns a clause for the run's message ("" when nothing ran).
    static func stop(_ tool: ProcessIdentity) async -> String {
        let group = ProcessGroup(id: tool.processID)
        guard tool.host == ProcessIdentity.current.host, belongsToRun(tool, group: group) else { return "" }
        for (signal, grace) in [(SIGINT, interruptGrace), (SIGTERM, terminateGrace), (SIGKILL, Duration.seconds(5))] {
            group.send(signal)
            if await waitUntilGone(group, within: grace) {
                return "; its tool (process group \(tool.processID)) was still running and was stopped with \(SignalName.of(signal))"
            }
        }
        return "; its tool (process group \(tool.processID)) could not be stopped"
    }

    /// The group is the run's when its leader is the recorded process (same start time), or when
    /// the leader is gone but members remain (a process group ID cannot be reused while the group
    /// has members).
    private static func belongsToRun(_ tool: ProcessIdentity, group: ProcessGroup) -> Bool {
        if let leader = ProcStat(pid: tool.processID), leader.state != "Z" {
            return leader.startTime == tool.startTicks && leader.processGroup == tool.processID
        }
        return group.isAlive
    }

    private static func waitUntilGone(_ group: ProcessGroup, within limit: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while group.isAlive {
            if clock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}
