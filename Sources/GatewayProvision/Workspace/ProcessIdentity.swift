import Foundation
import GatewayCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A process identified robustly: host, process ID and start time. A process ID alone can be reused
/// after the process dies; together with the start time it cannot.
public struct ProcessIdentity: Sendable, Equatable, Codable {
    /// The host name the process runs on.
    public var host: String
    /// The process ID (for tool processes also their process group ID).
    public var processID: Int32
    /// The start time in clock ticks after boot (`/proc/PID/stat`), when known.
    public var startTicks: UInt64?

    /// Creates an identity.
    public init(host: String, processID: Int32, startTicks: UInt64?) {
        self.host = host
        self.processID = processID
        self.startTicks = startTicks
    }

    /// This process.
    public static var current: ProcessIdentity {
        of(processID: getpid())
    }

    /// The process with this ID on this host, as it is now.
    public static func of(processID: Int32) -> ProcessIdentity {
        ProcessIdentity(host: localHost, processID: processID, startTicks: ProcStat(pid: processID)?.startTime)
    }

    /// This machine's host name (`gethostname`, no name service lookup).
    public static let localHost: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }()

    /// Whether the process still runs. A process on another host is assumed alive: this host cannot tell.
    public var isAlive: Bool {
        guard host == Self.localHost else { return true }
        guard let stat = ProcStat(pid: processID), stat.state != "Z", stat.state != "X" else { return false }
        guard let startTicks else { return kill(processID, 0) == 0 }
        return stat.startTime == startTicks
    }
}
