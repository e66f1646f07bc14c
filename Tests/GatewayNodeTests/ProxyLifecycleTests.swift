import Foundation
import GatewayCore
import GatewayNode
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SIGHUP reload from the node config and SIGTERM drain of `gw-cli proxy`.
@Suite("Proxy lifecycle")
struct ProxyLifecycleTests {
    static func nodeConfig(ports: [Int], drainSeconds: Double) -> NodeConfig {
        var proxy = GatewayCore.ProxySettings()
        proxy.listenPort = 0
        proxy.metricsPort = 0
        proxy.accessLog = ""
        proxy.drainSeconds = drainSeconds
        proxy.healthIntervalSeconds = 0.5
        proxy.healthTimeoutSeconds = 0.5
        proxy.rise = 2
        proxy.fall = 1
        let gateways = NodeGateways(
            ports: ports, rootAccessKey: Secret(reference: "env:GW_TEST_UNUSED_KEY"), rootSecretKey: Secret(reference: "env:GW_TEST_UNUSED_SECRET"),
            dataRoot: "/srv/s3", iamDir: "/srv/s3/.vgw", virtualDomain: "s3.example.com", healthPath: "/health")
        return NodeConfig(deployment: "proxy-test", region: "us-east-1", filespaces: [], gateways: gateways, proxy: proxy)
    }

    static func write(_ config: NodeConfig, to path: String) throws {
        let data = try JSONEncoder().encode(config)
        try data.write(to: URL(fileURLWithPath: path + ".tmp"))
        _ = rename(path + ".tmp", path)
    }

    /// The proxy's health, read on a thread of its own: the blocking socket calls never wait for a
    /// cooperative thread that parallel tests keep busy.
    static func health(port: Int) async throws -> (status: Int, healthy: Int, backends: Int, state: String) {
        let response = try await onThread { try httpGet(port: port, path: "/_gateway/health", timeout: .seconds(2)) }
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        return (response.status, json["healthyBackends"] as? Int ?? -1, json["backends"] as? Int ?? -1, json["status"] as? String ?? "")
    }

    /// The requests the backends hold (`/hold`) right now.
    static func heldRequests(_ backends: [StreamBackend]) async throws -> Int {
        var total = 0
        for backend in backends {
            let response = try await onThread { try httpGet(port: backend.port, path: "/stats", timeout: .seconds(2)) }
            total += (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Int])?["held"] ?? 0
        }
        return total
    }

    @Test("SIGHUP reloads the backend list from the node config and keeps health state; SIGTERM drains and exits 0")
    func reloadAndDrain() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let a = try await StreamBackend(directory: directory, name: "a")
        let b = try await StreamBackend(directory: directory, name: "b")
        let c = try await StreamBackend(directory: directory, name: "c")
        defer { for backend in [a, b, c] { backend.child.signal(SIGKILL) } }
        let file = directory.path("node.json")
        try Self.write(Self.nodeConfig(ports: [a.port, b.port], drainSeconds: 10), to: file)
        let proxy = try await ProxyProcess(arguments: ["--node-config", file, "--listen", "127.0.0.1:0"], directory: directory)
        let port = proxy.port
        do {
            try await waitUntil("two healthy backends", timeout: .seconds(30)) { try await Self.health(port: port).healthy == 2 }

            // b dies and is taken out; the reload adds c and must not bring b back by resetting its state.
            b.child.signal(SIGKILL)
            try await waitUntil("b out of rotation", timeout: .seconds(30)) { try await Self.health(port: port).healthy == 1 }
            try Self.write(Self.nodeConfig(ports: [a.port, b.port, c.port], drainSeconds: 10), to: file)
            proxy.child.signal(SIGHUP)
            try await waitUntil("three backends after SIGHUP", timeout: .seconds(30)) { try await Self.health(port: port).backends == 3 }
            let afterReload = try await Self.health(port: port)
            #expect(afterReload.healthy == 2, "b's down state was lost on reload: \(afterReload)")
            for _ in 0..<30 { #expect(try httpGet(port: port, path: "/blob/10").status == 200) }
            let served = try JSONSerialization.jsonObject(with: Data(httpGet(port: c.port, path: "/stats").body)) as? [String: Int]
            #expect((served?["served"] ?? 0) > 1, "the added backend got no requests: \(String(describing: served))")

            // SIGTERM: unhealthy at once, in-flight requests finish, new connections refused after the drain, exit 0.
            // A request held at a backend is in flight when SIGTERM is sent, and stays in flight until
            // the test releases it during the drain: no timing decides what the test proves.
            let held = Task { try await onThread { try httpGet(port: port, path: "/hold", timeout: .seconds(60)) } }
            try await waitUntil("the held request at a backend", timeout: .seconds(30)) { try await Self.heldRequests([a, c]) == 1 }
            proxy.child.signal(SIGTERM)
            try await waitUntil("draining health", timeout: .seconds(30)) {
                let health = try await Self.health(port: port)
                return health.status == 503 && health.state == "draining"
            }
            #expect(try await onThread { try httpGet(port: port, path: "/blob/10", timeout: .seconds(5)) }.status == 200, "requests during the drain period are still served")
            for backend in [a, c] { _ = try await onThread { try httpGet(port: backend.port, path: "/release", timeout: .seconds(5)) } }
            let heldResponse = try await held.value
            #expect(heldResponse.status == 200, "the request in flight at SIGTERM was not finished")
            let status = await proxy.child.waitForExit(timeout: .seconds(30))
            #expect(status == 0, "exit status \(String(describing: status)): \(proxy.child.log.suffix(1500))")
            #expect((try? RawConnection(port: port, timeout: .seconds(1))) == nil, "still accepting after shutdown")
        } catch {
            await proxy.child.stop()
            throw error
        }
    }

    @Test("an unprivileged proxy serves requests (no socket option needs a capability)")
    func unprivileged() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try await StreamBackend(directory: directory, name: "a")
        defer { backend.child.signal(SIGKILL) }
        let file = directory.path("node.json")
        try Self.write(Self.nodeConfig(ports: [backend.port], drainSeconds: 0), to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file)
        let proxy = try await ProxyProcess(arguments: ["--node-config", file, "--listen", "127.0.0.1:0"], directory: directory, unprivileged: true)
        defer { proxy.child.signal(SIGKILL) }
        try await waitUntil("a healthy backend", timeout: .seconds(30)) { try await Self.health(port: proxy.port).healthy == 1 }
        // SO_DEBUG (what `.socketOption(.tcp_nodelay)` set) is refused without CAP_NET_ADMIN: every
        // client and backend connection of an unprivileged proxy was reset.
        let response = try httpGet(port: proxy.port, path: "/blob/10")
        #expect(response.status == 200, "\(proxy.child.log.suffix(1500))")
    }

    @Test("invalid flags and an unbindable listen address exit with status 2 and a clear message")
    func usageErrors() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cli = try TestPaths.gwCLI()
        // A port that is in use: a listening socket of this test.
        let busy = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(busy) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(busy, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(busy, 1)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(busy, $0, &length) } }
        let busyPort = Int(UInt16(bigEndian: address.sin_port))

        let cases: [([String], String)] = [
            (["--listen", "nonsense"], "--listen"),
            (["--listen", "127.0.0.1:0", "--backend", "https://127.0.0.1:7070"], "--backend"),
            (["--listen", "127.0.0.1:0", "--backend", "ftp://x"], "--backend"),
            (["--listen", "127.0.0.1:0", "--policy", "fastest"], "--policy"),
            (["--listen", "127.0.0.1:0", "--health-interval", "soon"], "--health-interval"),
            (["--listen", "127.0.0.1:0", "--rise", "0"], "rise"),
            (["--listen", "127.0.0.1:0", "--rise", "two"], "--rise"),
            (["--listen", "127.0.0.1:0", "--threads", "0"], "threads"),
            (["--listen", "127.0.0.1:0", "--node-config", directory.path("missing.json")], "node-config"),
            (["--listen", "127.0.0.1:\(busyPort)", "--backend", "http://127.0.0.1:9"], "cannot listen"),
        ]
        for (index, (arguments, mention)) in cases.enumerated() {
            let child = try ChildProcess(cli, ["proxy"] + arguments + ["--drain", "0s"], logPath: directory.path("usage-\(index).log"))
            let status = await child.waitForExit(timeout: .seconds(20))
            if status == nil { await child.stop() }
            #expect(status == 2, "\(arguments): exit \(String(describing: status)): \(child.log)")
            #expect(child.log.contains(mention), "\(arguments): message does not mention \(mention): \(child.log)")
        }
    }
}
