import Foundation
import GatewayNode
import Logging
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `gw-cli proxy` as a separate process (so its file descriptors, memory and signals are its own).
final class ProxyProcess: @unchecked Sendable {
    let child: ChildProcess
    let port: Int
    let metricsPort: Int?

    /// Starts `gw-cli proxy`; with `unprivileged`, as the user nobody when the tests run as root (on an
    /// instance the proxy runs as the service account, without any capability).
    init(arguments: [String], directory: TemporaryDirectory, name: String = "proxy", expectMetrics: Bool = false, unprivileged: Bool = false) async throws {
        let cli = try TestPaths.gwCLI()
        if unprivileged && getuid() == 0 {
            let setpriv = try TestPaths.systemTool("setpriv")
            child = try ChildProcess(setpriv, ["--reuid=65534", "--regid=65534", "--clear-groups", "--", cli, "proxy"] + arguments, logPath: directory.path("\(name).log"))
        } else {
            child = try ChildProcess(cli, ["proxy"] + arguments, logPath: directory.path("\(name).log"))
        }
        var found: (Int, Int?)? = nil
        let deadline = ContinuousClock.now + .seconds(30)
        while found == nil && ContinuousClock.now < deadline {
            let log = child.log
            if let port = Self.port(after: "proxy listening on 127.0.0.1:", in: log) {
                let metrics = Self.port(after: "metrics listening on 127.0.0.1:", in: log)
                if !expectMetrics || metrics != nil { found = (port, metrics) }
            }
            if !child.isRunning { break }
            if found == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        guard let found else {
            await child.stop()
            throw HarnessError("gw-cli proxy did not start: \(child.log)")
        }
        port = found.0
        metricsPort = found.1
    }

    private static func port(after marker: String, in log: String) -> Int? {
        guard let range = log.range(of: marker) else { return nil }
        return Int(log[range.upperBound...].prefix { $0.isNumber })
    }

    func metrics() throws -> String {
        guard let metricsPort else { throw HarnessError("no metrics listener") }
        return String(decoding: try httpGet(port: metricsPort, path: "/metrics").body, as: UTF8.self)
    }
}

/// The generated-body backend (Support/stream_backend.py).
final class StreamBackend: @unchecked Sendable {
    let child: ChildProcess
    let port: Int

    init(directory: TemporaryDirectory, name: String) async throws {
        let python = try TestPaths.venvTool("python")
        let portFile = directory.path("\(name).port")
        child = try ChildProcess(python, [TestPaths.script("stream_backend.py"), portFile], logPath: directory.path("\(name).log"))
        try await waitUntil("\(name) to listen", timeout: .seconds(90)) { FileManager.default.fileExists(atPath: portFile) }
        guard let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) else {
            throw HarnessError("\(name) wrote no port")
        }
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)" }
}

/// One moto server (SigV4 checking optional) behind three socat relays, like three VersityGW
/// processes on one shared filesystem. Each relay runs in its own process group so it can be killed
/// with everything it forked.
final class MotoBehindRelays: @unchecked Sendable {
    let moto: ChildProcess
    let motoPort: Int
    private(set) var relays: [ChildProcess?]
    let relayPorts: [Int]
    private let directory: TemporaryDirectory

    init(directory: TemporaryDirectory, checkSignatures: Bool) async throws {
        self.directory = directory
        let motoServer = try TestPaths.venvTool("moto_server")
        _ = try TestPaths.systemTool("socat")
        motoPort = try freePort()
        var environment = ["MOTO_ALLOW_NONEXISTENT_REGION": "true"]
        if checkSignatures { environment["INITIAL_NO_AUTH_ACTION_COUNT"] = "3" }
        moto = try ChildProcess(
            motoServer, ["-H", "127.0.0.1", "-p", "\(motoPort)"], environment: environment,
            logPath: directory.path("moto.log"))
        relayPorts = try (0..<3).map { _ in try freePort() }
        relays = []
        let port = motoPort
        do {
            try await waitUntil("moto to answer", timeout: .seconds(180)) {
                (200..<300).contains((try? httpGet(port: port, path: "/moto-api/config").status) ?? 0)
            }
            for index in 0..<3 { relays.append(try startRelay(index)) }
            for relayPort in relayPorts {
                try await waitUntil("relay \(relayPort)", timeout: .seconds(60)) {
                    (200..<300).contains((try? httpGet(port: relayPort, path: "/moto-api/config").status) ?? 0)
                }
            }
        } catch {
            await stop()
            throw error
        }
    }

    /// The health path the proxy checks on moto (cheap, unauthenticated, not an S3 call).
    static let healthPath = "/moto-api/config"

    var backendArguments: [String] { relayPorts.flatMap { ["--backend", "http://127.0.0.1:\($0)"] } }
    var motoURL: String { "http://127.0.0.1:\(motoPort)" }

    private func startRelay(_ index: Int) throws -> ChildProcess {
        try ChildProcess(
            try TestPaths.systemTool("socat"),
            ["TCP-LISTEN:\(relayPorts[index]),bind=127.0.0.1,reuseaddr,fork", "TCP:127.0.0.1:\(motoPort)"],
            logPath: directory.path("relay-\(index).log"), ownProcessGroup: true)
    }

    /// kill -9 of the relay and every connection process it forked.
    func killRelay(_ index: Int) async {
        guard let relay = relays[index] else { return }
        relay.signal(SIGKILL)
        _ = await relay.waitForExit(timeout: .seconds(5))
        relays[index] = nil
    }

    func restartRelay(_ index: Int) async throws {
        relays[index] = try startRelay(index)
        let port = relayPorts[index]
        try await waitUntil("relay \(port) again", timeout: .seconds(60)) {
            (200..<300).contains((try? httpGet(port: port, path: "/moto-api/config").status) ?? 0)
        }
    }

    func stop() async {
        for relay in relays.compactMap({ $0 }) {
            relay.signal(SIGKILL)
            _ = await relay.waitForExit(timeout: .seconds(5))
        }
        relays = relays.map { _ in nil }
        await moto.stop()
    }
}

/// The proxy library running inside the test process (for settings the CLI does not expose).
final class InProcessProxy: @unchecked Sendable {
    let proxy: S3BalancingProxy
    let task: Task<Void, any Error>
    let port: Int

    init(_ configuration: ProxyConfiguration) async throws {
        var logger = Logger(label: "proxy-test")
        logger.logLevel = .warning
        let proxy = S3BalancingProxy(configuration: configuration, logger: logger)
        self.proxy = proxy
        task = Task { try await proxy.run() }
        await proxy.waitUntilListening()
        guard let port = proxy.listeningAddress?.port else {
            task.cancel()
            _ = try? await task.value
            throw HarnessError("in-process proxy did not start: \((try? await task.value).map { "\($0)" } ?? "run() failed")")
        }
        self.port = port
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// Runs a helper executable to completion and returns its standard output.
func runToCompletion(
    _ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: TemporaryDirectory,
    name: String, timeout: Duration
) async throws -> String {
    let child = try ChildProcess(executable, arguments, environment: environment, logPath: directory.path("\(name).out"))
    guard let status = await child.waitForExit(timeout: timeout) else {
        await child.stop()
        throw HarnessError("\(name) did not finish within \(timeout): \(child.log.suffix(2000))")
    }
    guard status == 0 else { throw HarnessError("\(name) exited with \(status): \(child.log.suffix(3000))") }
    return child.log
}
