import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A process group started by the runner, identified by its leader's process ID.
///
/// Every signal the runner sends goes to exactly one such group; nothing else is ever signalled.
package struct ProcessGroup: Sendable, Hashable {
    /// The process group ID (the ID of the process that was started).
    package let id: pid_t

    package init(id: pid_t) {
        self.id = id
    }

    /// Sends `signal` to every process of the group; returns `false` when the group no longer exists.
    @discardableResult
    package func send(_ signal: Int32) -> Bool {
        guard id > 1 else { return false }
        return kill(-id, signal) == 0
    }

    /// The IDs of the group's processes that are still running (zombies, which are already dead and
    /// only wait to be collected by their parent, do not count).
    package func liveMembers() -> [pid_t] {
        guard id > 1 else { return [] }
        #if os(Linux)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var members: [pid_t] = []
        for entry in entries {
            guard let pid = pid_t(entry), let stat = ProcStat(pid: pid) else { continue }
            if stat.processGroup == id, stat.state != "Z", stat.state != "X" {
                members.append(pid)
            }
        }
        return members.sorted()
        #else
        return kill(-id, 0) == 0 ? [id] : []
        #endif
    }

    /// `true` while at least one process of the group is running.
    package var isAlive: Bool {
        #if os(Linux)
        // kill(2) is cheap and answers "no" for most calls; only then is /proc consulted to tell
        // running members from zombies nobody has collected yet.
        guard kill(-id, 0) == 0 else { return false }
        return !liveMembers().isEmpty
        #else
        return kill(-id, 0) == 0
        #endif
    }
}

/// The few fields of `/proc/PID/stat` the runner needs.
package struct ProcStat: Sendable, Equatable {
    /// The one-letter process state (`R`, `S`, `Z`, ...).
    package var state: Character
    /// The process group ID.
    package var processGroup: pid_t
    /// The start time in clock ticks after boot; together with the PID it identifies a process,
    /// since a PID can be reused but not at the same start time.
    package var startTime: UInt64

    /// Reads `/proc/PID/stat`; `nil` when the process does not exist (or on systems without /proc).
    package init?(pid: pid_t) {
        #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // The command name (field 2) is in parentheses and may contain spaces; fields after it
        // are separated by single spaces.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, let group = pid_t(fields[2]),
            let start = UInt64(fields[19])
        else { return nil }
        self.state = state
        self.processGroup = group
        self.startTime = start
        #else
        return nil
        #endif
    }
}
