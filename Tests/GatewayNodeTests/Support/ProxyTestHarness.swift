import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A harness problem (missing tool, process that did not start): the test fails with this message.
struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Where the package, its test venv, helper scripts and the built `gw-cli` are.
enum TestPaths {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let supportDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

    static var venv: URL {
        if let path = ProcessInfo.processInfo.environment["GW_TEST_VENV"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return packageRoot.appendingPathComponent(".venv")
    }

    static func venvTool(_ name: String) throws -> String {
        let path = venv.appendingPathComponent("bin/\(name)").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HarnessError("\(path) is missing: run scripts/install-test-deps.sh")
        }
        return path
    }

    static func systemTool(_ name: String) throws -> String {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/sbin", "/usr/bin"] {
            let path = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw HarnessError("\(name) is not installed: run scripts/install-test-deps.sh")
    }

    static func script(_ name: String) -> String { supportDirectory.appendingPathComponent(name).path }

    /// The `gw-cli` built next to this test bundle (by `swift build --build-tests` / `swift test`).
    static func gwCLI() throws -> String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var candidates = [executable.deletingLastPathComponent().appendingPathComponent("gw-cli").path]
        candidates.append(packageRoot.appendingPathComponent(".build/debug/gw-cli").path)
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        throw HarnessError("gw-cli is not built: run swift build --build-tests (looked at \(candidates))")
    }
}

/// A temporary directory removed at the end of a test.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("gw-proxy-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

/// A child process started by a test and stopped by its PID (or its own process group).
final class ChildProcess: @unchecked Sendable {
    let pid: Int32
    let logPath: String
    private let process: Process
    private let ownGroup: Bool

    /// Starts `executable` with an argv vector; output goes to `logPath`. Foundation starts every child
    /// as the leader of a process group of its own; with `ownProcessGroup` signals go to that whole
    /// group, so the process and any children it forked are signalled together.
    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, logPath: String, ownProcessGroup: Bool = false) throws {
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        // Every helper runs under orphan_guard.py, so nothing outlives a test process that crashed.
        process.executableURL = URL(fileURLWithPath: try TestPaths.venvTool("python"))
        process.arguments = [TestPaths.script("orphan_guard.py"), executable] + arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment ?? [:] { env[key] = value }
        for key in ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"] { env[key] = nil }
        process.environment = env
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        self.pid = process.processIdentifier
        if ownProcessGroup && getpgid(pid) != pid {
            kill(pid, SIGKILL)
            throw HarnessError("\(executable) did not get a process group of its own")
        }
        self.logPath = logPath
        self.ownGroup = ownProcessGroup
    }

    var isRunning: Bool { process.isRunning }

    func signal(_ signal: Int32) {
        if ownGroup { kill(-pid, signal) } else { kill(pid, signal) }
    }

    /// Waits for the exit; returns the exit status, or nil on timeout.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// SIGTERM, then SIGKILL after `grace`.
    @discardableResult
    func stop(grace: Duration = .seconds(5)) async -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        signal(SIGTERM)
        if let status = await waitForExit(timeout: grace) { return status }
        signal(SIGKILL)
        return await waitForExit(timeout: .seconds(5))
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    var openFileDescriptors: Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1 }

    /// Resident set size in KiB (VmRSS).
    var residentKiB: Int { Self.statusField("VmRSS", pid: pid) }

    static func statusField(_ name: String, pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? -1
        }
        return -1
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func waitUntil(_ what: String, timeout: Duration, poll: Duration = .milliseconds(50), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: poll)
    }
    throw HarnessError("timed out after \(timeout) waiting for \(what)")
}

/// A free TCP port on 127.0.0.1 (for servers that need their port up front).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw HarnessError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw HarnessError("bind() failed") }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

/// A blocking TCP client for raw HTTP bytes (malformed requests, slow readers, aborts).
final class RawConnection: @unchecked Sendable {
    let fd: Int32

    init(port: Int, timeout: Duration = .seconds(30)) throws {
        // The descriptor is stored only once connected: a class whose init throws after every
        // property is set runs its deinit, which would close it a second time (and with it whatever
        // another thread opened under the same number in between).
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            let error = errno
            close(fd)
            throw HarnessError("connect to 127.0.0.1:\(port) failed: errno \(error)")
        }
        self.fd = fd
        setTimeout(timeout)
    }

    func setTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw HarnessError("send failed: errno \(errno)") }
            offset += written
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Receives up to `max` bytes; empty at EOF; throws on timeout or reset.
    func receive(max: Int = 65536) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, max, 0) }
        guard count >= 0 else { throw HarnessError("recv failed: errno \(errno)") }
        return Array(buffer[0..<count])
    }

    /// Reads one response (Content-Length framed, or up to EOF) and returns status, head and body.
    func readResponse(headOnly: Bool = false) throws -> RawResponse {
        var data: [UInt8] = []
        var headEnd: Int? = nil
        while headEnd == nil {
            let chunk = try receive()
            if chunk.isEmpty { throw HarnessError("connection closed before a response head (got \(data.count) bytes)") }
            data += chunk
            headEnd = Self.find([13, 10, 13, 10], in: data).map { $0 + 4 }
        }
        let head = String(decoding: data[0..<headEnd!], as: UTF8.self)
        var body = Array(data[headEnd!...])
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) }
        if headOnly || status == 100 { return RawResponse(status: status, head: head, body: body, rest: body) }
        if let length {
            while body.count < length {
                let chunk = try receive()
                if chunk.isEmpty { throw HarnessError("body cut short at \(body.count) of \(length)") }
                body += chunk
            }
            let rest = Array(body[length...])
            return RawResponse(status: status, head: head, body: Array(body[0..<length]), rest: rest)
        }
        while true {
            let chunk = try receive()
            if chunk.isEmpty { break }
            body += chunk
        }
        return RawResponse(status: status, head: head, body: body, rest: [])
    }

    /// Reads the response that follows `previous` on a pipelined connection (bytes already received
    /// after it are used first). `isHead`: the response answers a HEAD request, so it has no body.
    func readResponseAfter(_ previous: RawResponse, isHead: Bool = false) throws -> RawResponse {
        var data = previous.rest
        while Self.find([13, 10, 13, 10], in: data) == nil {
            let chunk = try receive()
            if chunk.isEmpty { throw HarnessError("connection closed before the next response") }
            data += chunk
        }
        let headEnd = Self.find([13, 10, 13, 10], in: data)! + 4
        let head = String(decoding: data[0..<headEnd], as: UTF8.self)
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        var body = Array(data[headEnd...])
        let length =
            head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        if isHead { return RawResponse(status: status, head: head, body: [], rest: body) }
        do {
            while body.count < length {
                let chunk = try receive()
                if chunk.isEmpty { throw HarnessError("body cut short") }
                body += chunk
            }
        }
        return RawResponse(status: status, head: head, body: Array(body.prefix(length)), rest: Array(body.dropFirst(length)))
    }

    /// True once the peer closed the connection (reads return EOF or reset) within `timeout`.
    func closedByPeer(within timeout: Duration) -> Bool {
        setTimeout(timeout)
        while true {
            guard let chunk = try? receive() else { return errno == ECONNRESET }
            if chunk.isEmpty { return true }
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count) where haystack[index] == needle[0] {
            if Array(haystack[index..<(index + needle.count)]) == needle { return index }
        }
        return nil
    }
}

struct RawResponse {
    let status: Int
    let head: String
    let body: [UInt8]
    let rest: [UInt8]

    func header(_ name: String) -> String? {
        for line in head.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() { return parts[1].trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }
}

/// A simple GET through a fresh connection.
func httpGet(port: Int, path: String, host: String = "127.0.0.1", timeout: Duration = .seconds(10)) throws -> RawResponse {
    let connection = try RawConnection(port: port, timeout: timeout)
    try connection.send("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
    return try connection.readResponse()
}

/// Runs blocking socket work on a thread of its own, so it never holds a thread of the shared
/// concurrency pool (other tests run there in parallel).
func onThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
