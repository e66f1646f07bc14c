import Foundation
import GatewayNode
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Backends dying, hanging and disappearing while clients keep going.
@Suite("Proxy under backend faults")
struct ProxyFaultTests {
    /// A SigV4-shaped Authorization header; moto does not verify it while signature checking is off.
    static let fakeAuthorization =
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/s3/aws4_request, "
        + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + String(repeating: "0", count: 64)

    static func s3Request(_ method: String, _ path: String, body: [UInt8] = [], port: Int) throws -> RawResponse {
        let connection = try RawConnection(port: port)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: \(fakeAuthorization)\r\n"
        head += "x-amz-date: 20260101T000000Z\r\nx-amz-content-sha256: UNSIGNED-PAYLOAD\r\nContent-Type: application/octet-stream\r\n"
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        try connection.send(Array(head.utf8) + body)
        return try connection.readResponse(headOnly: method == "HEAD")
    }

    /// The values of the samples in Prometheus text whose name and labels start with `prefix`.
    static func samples(_ metrics: String, _ prefix: String) -> [Double] {
        metrics.split(separator: "\n").filter { $0.hasPrefix(prefix) }.compactMap { Double($0.split(separator: " ").last ?? "") }
    }

    /// The value of the sample `line` (name with all its labels), if present.
    static func sample(_ metrics: String, _ line: String) -> Double? { samples(metrics, line + " ").first }

    /// The request counter and both latency histograms account for every GET the load made.
    static func expectRequestMetrics(_ metrics: String, atLeast requests: Int) {
        let got = sample(metrics, #"gateway_proxy_requests_total{method="GET",operation="get",status_class="2xx"}"#) ?? 0
        #expect(got >= Double(requests), "requests_total for 2xx GETs: \(got), load counted \(requests)")
        for name in ["gateway_proxy_request_duration_seconds", "gateway_proxy_response_first_byte_seconds"] {
            #expect(metrics.contains("# TYPE \(name) histogram"))
            let label = #"operation="get""#
            let count = sample(metrics, "\(name)_count{\(label)}") ?? 0
            #expect(count >= Double(requests), "\(name) count \(count), load counted \(requests)")
            #expect((sample(metrics, "\(name)_sum{\(label)}") ?? 0) > 0)
            let buckets = samples(metrics, "\(name)_bucket{\(label),")
            #expect(buckets.count == 18, "\(name): \(buckets.count) buckets")
            #expect(buckets == buckets.sorted(), "\(name) buckets are not cumulative: \(buckets)")
            #expect(buckets.last == count, "\(name): +Inf bucket \(buckets.last ?? -1) differs from the count \(count)")
        }
    }

    @Test("kill -9 of one relay under 64-connection GET load: zero client failures; all down: 503 SlowDown; recovery")
    func backendDeathUnderLoad() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let python = try TestPaths.venvTool("python")
        let backends = try await MotoBehindRelays(directory: directory, checkSignatures: false)
        var proxyProcess: ProxyProcess? = nil
        do {
            let proxy = try await ProxyProcess(
                arguments: [
                    "--listen", "127.0.0.1:0", "--metrics-listen", "127.0.0.1:0", "--drain", "0.2s",
                    "--health-path", MotoBehindRelays.healthPath, "--health-interval", "1s", "--health-timeout", "1s",
                    "--rise", "2", "--fall", "2",
                ] + backends.backendArguments,
                directory: directory, expectMetrics: true)
            proxyProcess = proxy
            #expect(try Self.s3Request("PUT", "/load", port: proxy.port).status == 200)
            let object = [UInt8]((0..<1024).map { UInt8($0 % 251) })
            #expect(try Self.s3Request("PUT", "/load/obj1k", body: object, port: proxy.port).status == 200)
            #expect(try Self.s3Request("GET", "/load/obj1k", port: proxy.port).body == object)

            let load = try ChildProcess(
                python,
                [
                    TestPaths.script("get_load.py"), "http://127.0.0.1:\(proxy.port)/load/obj1k", "64", "8",
                    "Authorization: \(Self.fakeAuthorization)", "x-amz-date: 20260101T000000Z", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
                ],
                logPath: directory.path("load.out"))
            try await Task.sleep(for: .milliseconds(2500))
            await backends.killRelay(1)
            #expect((try? RawConnection(port: backends.relayPorts[1], timeout: .seconds(1))) == nil, "relay 1 still accepts after kill -9")
            let loadStatus = await load.waitForExit(timeout: .seconds(60))
            #expect(loadStatus == 0, "load generator: \(load.log.suffix(1000))")
            let line = load.log.split(separator: "\n").last { $0.hasPrefix("{") }
            let counts = try #require(line.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }, "\(load.log.suffix(1000))")
            let ok = counts["ok"] as? Int ?? 0
            let failed = counts["failed"] as? Int ?? -1
            #expect(failed == 0, "client-visible failures after kill -9 of one relay: \(counts)")
            #expect(ok > 100, "too few requests completed to mean anything: \(counts)")
            print("backend kill under load: \(ok) requests ok, \(failed) failed")

            // The health checks (every second, fall 2) eject it within seconds if no request did.
            let killedLabel = "backend=\"http://127.0.0.1:\(backends.relayPorts[1])\""
            var metrics = ""
            var ejections = 0.0
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(10)
            repeat {
                metrics = try proxy.metrics()
                ejections = Self.samples(metrics, "gateway_proxy_backend_ejections_total{\(killedLabel)").reduce(0, +)
                if ejections >= 1 { break }
                try await Task.sleep(for: .milliseconds(200))
            } while clock.now < deadline
            let backendLines = metrics.split(separator: "\n").filter { $0.contains("backend") && !$0.hasPrefix("#") }
            #expect(ejections >= 1, "the killed relay was never ejected: \(backendLines.joined(separator: "\n"))")
            Self.expectRequestMetrics(metrics, atLeast: ok)

            // Every backend gone: S3-style 503 SlowDown with Retry-After, never a hang or a 502.
            await backends.killRelay(0)
            await backends.killRelay(2)
            for port in backends.relayPorts {
                #expect((try? RawConnection(port: port, timeout: .seconds(1))) == nil, "relay \(port) still accepts after kill -9")
            }
            let down = try Self.s3Request("GET", "/load/obj1k", port: proxy.port)
            #expect(down.status == 503)
            #expect(down.header("Retry-After") != nil)
            #expect(String(decoding: down.body, as: UTF8.self).contains("<Code>SlowDown</Code>"))
            #expect(down.header("Content-Type") == "application/xml")
            let health = try httpGet(port: proxy.port, path: "/_gateway/health")
            #expect(health.status == 503)

            // The relays come back: requests succeed again without a restart of the proxy.
            for index in 0..<3 { try await backends.restartRelay(index) }
            let port = proxy.port
            try await waitUntil("requests to succeed again", timeout: .seconds(15)) {
                (try? Self.s3Request("GET", "/load/obj1k", port: port).status) == 200
            }
            try await waitUntil("health endpoint 200 again", timeout: .seconds(15)) {
                (try? httpGet(port: port, path: "/_gateway/health").status) == 200
            }
        } catch {
            if let proxyProcess { await proxyProcess.child.stop() }
            await backends.stop()
            throw error
        }
        let status = await proxyProcess?.child.stop()
        await backends.stop()
        #expect(status == 0)
    }

    @Test("a backend that accepts and never answers: timeout error within the deadline, other clients unaffected")
    func blackHoleBackend() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let good = try await StreamBackend(directory: directory, name: "good")
        defer { good.child.signal(SIGKILL) }
        // A listening socket nobody accepts on: the kernel completes connections, nothing ever answers.
        let blackHole = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(blackHole) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(blackHole, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        listen(blackHole, 64)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(blackHole, $0, &length) } }
        let blackHolePort = Int(UInt16(bigEndian: address.sin_port))

        var configuration = ProxyConfiguration()
        configuration.listen = .init(host: "127.0.0.1", port: 0)
        configuration.backends = [.init(host: "127.0.0.1", port: blackHolePort), .init(host: "127.0.0.1", port: good.port)]
        configuration.policy = .roundRobin
        configuration.responseTimeout = .milliseconds(3000)
        configuration.fall = 50  // keep the black hole in rotation for the whole test
        configuration.drainPeriod = .zero
        let proxy = try await InProcessProxy(configuration)
        defer { Task { await proxy.stop() } }
        let port = proxy.port

        let results = try await withThrowingTaskGroup(of: (Int, Duration).self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await onThread {
                        let start = ContinuousClock.now
                        let response = try httpGet(port: port, path: "/blob/1000", timeout: .seconds(20))
                        return (response.status, ContinuousClock.now - start)
                    }
                }
            }
            var all: [(Int, Duration)] = []
            for try await result in group { all.append(result) }
            return all
        }
        let timedOut = results.filter { $0.0 == 504 }
        let served = results.filter { $0.0 == 200 }
        #expect(timedOut.count + served.count == results.count, "unexpected statuses: \(results)")
        #expect(!timedOut.isEmpty, "no request reached the black hole: \(results)")
        #expect(!served.isEmpty, "no request reached the good backend: \(results)")
        for (_, elapsed) in timedOut {
            #expect(elapsed >= .milliseconds(2850) && elapsed < .seconds(10), "504 after \(elapsed)")
        }
        for (_, elapsed) in served {
            #expect(elapsed < .milliseconds(2500), "a request to the good backend waited \(elapsed)")
        }
        await proxy.stop()
    }

    @Test("an upload the backend answers early (403 before the body) reaches the client as that answer, never a reset")
    func earlyAnswerToAnUpload() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try await StreamBackend(directory: directory, name: "refusing")
        defer { backend.child.signal(SIGKILL) }
        var configuration = ProxyConfiguration()
        configuration.listen = .init(host: "127.0.0.1", port: 0)
        configuration.backends = [.init(host: "127.0.0.1", port: backend.port)]
        configuration.drainPeriod = .zero
        let proxy = try await InProcessProxy(configuration)
        defer { Task { await proxy.stop() } }
        let port = proxy.port

        // 64 MiB announced, sent at once whatever happens: far more than every socket buffer on the
        // way can hold (loopback buffers autotune to several MiB each; 4 MiB once fit in them on a
        // loaded machine, so the body had fully arrived before the 403), so the client is still
        // sending when the 403 arrives.
        let outcome = try await onThread { () -> (sendError: String?, response: RawResponse) in
            let connection = try RawConnection(port: port, timeout: .seconds(20))
            let size = 64 << 20
            try connection.send("PUT /refuse/object HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: \(size)\r\n\r\n")
            var sendError: String?
            let chunk = [UInt8](repeating: 0x61, count: 256 << 10)
            for _ in 0..<(size / chunk.count) {
                do { try connection.send(chunk) } catch {
                    sendError = "\(error)"
                    break
                }
            }
            return (sendError, try connection.readResponse())
        }
        #expect(outcome.sendError == nil, "the proxy reset the upload instead of reading it to the end: \(outcome.sendError ?? "")")
        #expect(outcome.response.status == 403)
        #expect(String(decoding: outcome.response.body, as: UTF8.self).contains("AccessDenied"))
        #expect(outcome.response.head.lowercased().contains("connection: close"))
        await proxy.stop()
    }
}
