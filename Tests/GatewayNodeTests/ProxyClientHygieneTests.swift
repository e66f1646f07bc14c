import Foundation
import GatewayNode
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Malformed and hostile clients, slow readers and aborts.
@Suite("Proxy against bad and slow clients")
struct ProxyClientHygieneTests {
    @Test("malformed requests get 4xx or a close, slowloris is cut, and everyone else is still served")
    func malformedInput() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try await StreamBackend(directory: directory, name: "backend")
        defer { backend.child.signal(SIGKILL) }
        var configuration = ProxyConfiguration()
        configuration.listen = .init(host: "127.0.0.1", port: 0)
        configuration.backends = [.init(host: "127.0.0.1", port: backend.port)]
        configuration.requestHeadTimeout = .seconds(1)
        configuration.maxHeadBytes = 8 * 1024
        configuration.drainPeriod = .zero
        let proxy = try await InProcessProxy(configuration)
        let port = proxy.port

        // Slowloris: a head trickled a byte at a time is cut at the head timeout.
        let slow = Task {
            try await onThread { () -> Bool in
                let connection = try RawConnection(port: port, timeout: .seconds(5))
                try connection.send("GET /blob/10 HTTP/1.1\r\nHost: x\r\n")
                let start = ContinuousClock.now
                for byte in Array("X-Slow: 1234567890".utf8) {
                    if (try? connection.send([byte])) == nil { break }
                    usleep(200_000)
                    if ContinuousClock.now - start > .seconds(4) { return false }
                }
                return connection.closedByPeer(within: .seconds(3))
            }
        }

        let cases: [(String, [UInt8], Set<Int>)] = [
            ("invalid request line", Array("GARBAGE\r\n\r\n".utf8), [400]),
            ("binary noise", [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, 13, 10, 13, 10], [400]),
            ("oversized header", Array("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n".utf8), [431]),
            ("no Host in HTTP/1.1", Array("GET /blob/1 HTTP/1.1\r\n\r\n".utf8), [400]),
            ("Content-Length and Transfer-Encoding", Array("POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n".utf8), [400]),
            ("conflicting Content-Length", Array("PUT /sink HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd".utf8), [400]),
            ("obsolete line folding", Array("GET /blob/1 HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n folded\r\n\r\n".utf8), [400]),
            ("bad chunk size", Array("PUT /sink/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n".utf8), [400]),
            ("HTTP/2 preface", Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8), [505, 400]),
            ("bare LF line endings", Array("GET /blob/1 HTTP/1.1\nHost: x\n\n".utf8), [400, 408]),
        ]
        for (name, bytes, expected) in cases {
            let connection = try RawConnection(port: port, timeout: .seconds(5))
            try? connection.send(bytes)
            if let response = try? connection.readResponse() {
                #expect(expected.contains(response.status), "\(name): got \(response.status)")
                #expect(response.header("Connection") == "close", "\(name): connection not closed")
            } else {
                #expect(connection.closedByPeer(within: .seconds(3)), "\(name): neither an answer nor a close")
            }
            // The proxy still serves a good client after each bad one.
            let good = try httpGet(port: port, path: "/blob/100")
            #expect(good.status == 200 && good.body.count == 100, "after \(name): \(good.status)")
        }
        // Pipelined requests on one connection are answered in order, each exactly once.
        let pipelined = try RawConnection(port: port, timeout: .seconds(5))
        try pipelined.send("GET /blob/3 HTTP/1.1\r\nHost: x\r\n\r\nHEAD /blob/5 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/x?q=1 HTTP/1.1\r\nHost: x\r\nX-Case: MiXeD  spaced\r\n\r\n")
        let first = try pipelined.readResponse()
        #expect(first.status == 200 && first.body.count == 3)
        let second = try pipelined.readResponseAfter(first, isHead: true)
        #expect(second.status == 200 && second.header("Content-Length") == "5")
        let third = try pipelined.readResponseAfter(second)
        #expect(third.status == 200)
        #expect(
            String(decoding: third.body, as: UTF8.self).hasPrefix("GET /echo/x?q=1 HTTP/1.1\r\nHost: x\r\nX-Case: MiXeD  spaced\r\n\r\n"),
            "the backend did not get the request head byte for byte: \(String(decoding: third.body, as: UTF8.self))")

        #expect(try await slow.value, "slowloris connection was not closed")
        await proxy.stop()
    }

    @Test("slow readers and aborted downloads and uploads leave no connections behind")
    func noLeakedConnections() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let backend = try await StreamBackend(directory: directory, name: "backend")
        defer { backend.child.signal(SIGKILL) }
        let accessLog = directory.path("access.log")
        let proxy = try await ProxyProcess(
            arguments: ["--listen", "127.0.0.1:0", "--backend", backend.url, "--drain", "0.2s", "--access-log", accessLog], directory: directory)
        let port = proxy.port
        for _ in 0..<3 { _ = try httpGet(port: port, path: "/blob/1000?X-Amz-Signature=SECRETSIGNATURE&X-Amz-Credential=AKIDSECRET") }
        try await Task.sleep(for: .milliseconds(300))
        let baseline = proxy.child.openFileDescriptors
        #expect(baseline > 0)
        let backendBefore = try Self.backendOpenConnections(port: backend.port)

        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    // Aborted download: read a little of a 256 MiB body, then close.
                    try await onThread {
                        let connection = try RawConnection(port: port)
                        try connection.send("GET /blob/268435456 HTTP/1.1\r\nHost: x\r\n\r\n")
                        _ = try connection.receive()
                        usleep(UInt32(100_000 + 20_000 * index))
                    }
                }
                group.addTask {
                    // Aborted upload: announce 256 MiB, send 1 MiB, close.
                    try await onThread {
                        let connection = try RawConnection(port: port)
                        try connection.send("PUT /sink/aborted HTTP/1.1\r\nHost: x\r\nContent-Length: 268435456\r\n\r\n")
                        try connection.send([UInt8](repeating: 0x61, count: 1 << 20))
                        usleep(50_000)
                    }
                }
                group.addTask {
                    // Slow reader: 32 KiB at a time for a while, then gone.
                    try await onThread {
                        let connection = try RawConnection(port: port)
                        try connection.send("GET /blob/67108864 HTTP/1.1\r\nHost: x\r\n\r\n")
                        for _ in 0..<10 {
                            _ = try connection.receive(max: 32 * 1024)
                            usleep(100_000)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let child = proxy.child
        try await waitUntil("file descriptors back at the baseline \(baseline)", timeout: .seconds(10)) {
            child.openFileDescriptors <= baseline
        }
        let backendPort = backend.port
        try await waitUntil("the backend's connections back at \(backendBefore)", timeout: .seconds(10)) {
            try Self.backendOpenConnections(port: backendPort) <= backendBefore
        }
        let after = try httpGet(port: port, path: "/blob/1000")
        #expect(after.status == 200 && after.body.count == 1000)
        try await waitUntil("access log lines", timeout: .seconds(30)) {
            ((try? String(contentsOfFile: accessLog, encoding: .utf8)) ?? "").split(separator: "\n").count >= 4
        }
        let logText = try String(contentsOfFile: accessLog, encoding: .utf8)
        #expect(!logText.contains("SECRET") && !logText.contains("X-Amz-"), "query strings reached the access log")
        for line in logText.split(separator: "\n") {
            let entry = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            #expect(entry["status"] != nil && entry["path"] != nil && entry["duration_ms"] != nil, "\(line)")
        }
        print("fd count: baseline \(baseline), after slow readers and aborts \(child.openFileDescriptors)")
        #expect(await proxy.child.stop() == 0)
    }

    /// Connections the stream backend has open (its /stats request included).
    static func backendOpenConnections(port: Int) throws -> Int {
        let stats = try httpGet(port: port, path: "/stats")
        return (try JSONSerialization.jsonObject(with: Data(stats.body)) as? [String: Int])?["open"] ?? -1
    }
}
