import Foundation
import GatewayCore
import Testing

@testable import GatewayNode

@Suite("Proxy parsing and configuration")
struct ProxyUnitTests {
    func parseRequest(_ text: String) throws(HeadParseError) -> RequestHead {
        let bytes = Array(text.utf8)
        let length = bytes.withUnsafeBytes { HTTPHeadParser.headLength($0, from: 0) } ?? -1
        guard length > 0 else { throw .malformed("incomplete") }
        let result: Result<RequestHead, HeadParseError> = bytes.withUnsafeBytes { raw in
            do throws(HeadParseError) { return .success(try HTTPHeadParser.parseRequest(raw, length: length)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    func scan(_ scanner: inout ChunkedBodyScanner, _ bytes: [UInt8]) throws(ChunkedBodyScanner.Failure) -> Int {
        var copy = scanner
        let result: Result<Int, ChunkedBodyScanner.Failure> = bytes.withUnsafeBytes { raw in
            do throws(ChunkedBodyScanner.Failure) { return .success(try copy.scan(raw)) } catch { return .failure(error) }
        }
        scanner = copy
        return try result.get()
    }

    @Test("request heads: framing, Expect, Connection, hop-by-hop lines")
    func requestHeads() throws {
        let head = try parseRequest(
            "PUT /b/k%20x?uploadId=1&partNumber=2 HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\nExpect: 100-continue\r\nConnection: keep-alive, X-Hop\r\nX-Hop: 1\r\nX-Amz-Date: d\r\n\r\n")
        #expect(head.method == .put)
        #expect(head.framing == .length(10))
        #expect(head.expectContinue)
        #expect(head.dropLines.count == 2)  // Connection and the header it names
        let chunked = try parseRequest("POST /b?delete HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(chunked.framing == .chunked)
        let get = try parseRequest("GET / HTTP/1.0\r\n\r\n")
        #expect(get.framing == .none && !get.clientWantsKeepAlive)
        #expect(throws: HeadParseError.self) { try parseRequest("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") }
        #expect(throws: HeadParseError.self) { try parseRequest("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n") }
        #expect(throws: HeadParseError.self) { try parseRequest("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n") }
        #expect(throws: HeadParseError.self) { try parseRequest("GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n") }
        #expect(throws: HeadParseError.self) { try parseRequest("GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n") }
    }

    @Test("dropped header lines stay in head order, once each; the head end is found across split reads")
    func headerLinesAndHeadEnd() throws {
        let head = try parseRequest("GET / HTTP/1.1\r\nX-B: 1\r\nHost: h\r\nX-A: 2\r\nConnection: x-a, x-b, X-A\r\nKeep-Alive: 5\r\n\r\n")
        let lines = Array(head.dropLines)
        #expect(lines.count == 4)  // X-B, X-A, Connection, Keep-Alive: named twice, dropped once
        #expect(lines == lines.sorted { $0.lowerBound < $1.lowerBound })
        var set = HeaderLines()
        for line in [30..<40, 10..<20, 50..<60, 10..<20, 0..<5] { set.insert(line) }
        #expect(Array(set) == [0..<5, 10..<20, 30..<40, 50..<60])

        let text = Array("GET / HTTP/1.1\r\nHost: h\r\n\r\nrest".utf8)
        let full = text.withUnsafeBytes { HTTPHeadParser.headLength($0, from: 0) }
        #expect(full == text.count - 4)
        for cut in 1..<(text.count - 4) {  // resuming where the previous read ended (minus 3) finds the same end
            let partial = text.withUnsafeBytes { HTTPHeadParser.headLength(UnsafeRawBufferPointer(rebasing: $0[..<cut]), from: 0) }
            #expect(partial == nil, "head end found in the first \(cut) bytes")
            let resumed = text.withUnsafeBytes { HTTPHeadParser.headLength($0, from: max(0, cut - 3)) }
            #expect(resumed == full)
        }
        #expect(Array("\n\n\r\n\r".utf8).withUnsafeBytes { HTTPHeadParser.headLength($0, from: 0) } == nil)
    }

    @Test("header values: the eight-byte scan finds the same control bytes as a byte-by-byte one")
    func headerValueScan() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0x80, 0xC3, 0xFF]
        for _ in 0..<2_000 {
            let count = Int.random(in: 0...40, using: &generator)
            let bytes = (0..<count).map { _ in
                Bool.random(using: &generator) ? UInt8(ascii: "a") : alphabet.randomElement(using: &generator)!
            }
            let start = Int.random(in: 0...count, using: &generator)
            let expected = bytes[start...].firstIndex { $0 < 0x20 || $0 == 0x7F } ?? count
            let found = bytes.withUnsafeBytes { HTTPHeadParser.firstControlByte($0, from: start, end: count) }
            #expect(found == expected, "bytes \(bytes), from \(start)")
        }

        let value = "a\tb  c" + String(repeating: "x", count: 17)
        let padded = "GET / HTTP/1.1\r\nHost:  \t h.example \t \r\nX-Forwarded-For: \(value) \t\r\n\r\n"
        let head = try parseRequest(padded)
        let text = Array(padded.utf8)
        #expect(head.host.map { String(decoding: text[$0], as: UTF8.self) } == "h.example")
        #expect(head.forwardedFor.map { String(decoding: text[$0], as: UTF8.self) } == value)
        for position in 0..<20 {
            for byte: UInt8 in [0x00, 0x0A, 0x1F, 0x7F] {
                var line = Array("X-Long: ".utf8) + Array(repeating: UInt8(ascii: "v"), count: 20)
                line[8 + position] = byte
                let request = Array("GET / HTTP/1.1\r\nHost: h\r\n".utf8) + line + Array("\r\n\r\n".utf8)
                #expect(throws: HeadParseError.self, "byte \(byte) at \(position)") {
                    try parseRequest(String(decoding: request, as: UTF8.self))
                }
            }
        }
        #expect((try? parseRequest("GET / HTTP/1.1\r\nHost: h\r\nX-Obs: caf\u{e9}\r\n\r\n")) != nil)  // obs-text is allowed
    }

    @Test("latency counts: a value on a bound lands in that bucket, past the last one in +Inf; merges add up")
    func latencyCounts() {
        var counts = LatencyCounts()
        counts.record(.get, nanoseconds: 500_000)  // le 0.0005
        counts.record(.get, nanoseconds: 500_001)  // le 0.001
        counts.record(.get, nanoseconds: 400_000_000_000)  // +Inf
        counts.record(.put, nanoseconds: -5)  // clamped to 0
        let histogram = LatencyHistogram(name: "test_seconds", help: "Test")
        histogram.merge(&counts)
        #expect(counts.isEmpty)
        counts.record(.get, nanoseconds: 2_000_000)  // le 0.0025
        histogram.merge(&counts)
        var bytes: [UInt8] = []
        histogram.emit(into: &bytes)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("# HELP test_seconds Test\n# TYPE test_seconds histogram\n"))
        #expect(text.contains(#"test_seconds_bucket{operation="get",le="0.0005"} 1"#))
        #expect(text.contains(#"test_seconds_bucket{operation="get",le="0.001"} 2"#))
        #expect(text.contains(#"test_seconds_bucket{operation="get",le="0.0025"} 3"#))
        #expect(text.contains(#"test_seconds_bucket{operation="get",le="300.0"} 3"#))
        #expect(text.contains(#"test_seconds_bucket{operation="get",le="+Inf"} 4"#))
        #expect(text.contains(#"test_seconds_count{operation="get"} 4"#))
        #expect(text.contains(#"test_seconds_sum{operation="get"} 400.003000001"#))
        #expect(text.contains(#"test_seconds_bucket{operation="put",le="0.0005"} 1"#))
        #expect(text.contains(#"test_seconds_count{operation="list"} 0"#))
    }

    @Test("token bytes are exactly RFC 9110's tchar set")
    func tokenBytes() {
        let punctuation = Set("!#$%&'*+-.^_`|~".utf8)
        for value in 0...255 {
            let byte = UInt8(value)
            let expected =
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || punctuation.contains(byte)
            #expect(HTTPHeadParser.isTokenByte(byte) == expected, "byte \(value)")
        }
    }

    @Test("S3 operation classes")
    func operationClasses() throws {
        func op(_ line: String, _ extra: String = "") throws -> S3OperationClass {
            let text = "\(line) HTTP/1.1\r\nHost: h\r\n\(extra)\r\n"
            let head = try parseRequest(text)
            return Array(text.utf8).withUnsafeBytes { S3OperationClass.classify(head, $0) }
        }
        #expect(try op("GET /") == .list)
        #expect(try op("GET /bucket?list-type=2&prefix=a") == .list)
        #expect(try op("GET /bucket/") == .list)
        #expect(try op("GET /bucket/key") == .get)
        #expect(try op("PUT /bucket/key", "x-amz-copy-source: /a/b\r\n") == .copy)
        #expect(try op("POST /bucket/key?uploadId=abc") == .multipart)
        #expect(S3OperationClass.multipart.isLongRunning(method: .post))
        #expect(!S3OperationClass.multipart.isLongRunning(method: .put))
        #expect(try op("POST /bucket?delete") == .delete)
    }

    @Test("chunked bodies: boundaries, extensions, trailers and bad sizes")
    func chunkedScanner() throws {
        var scanner = ChunkedBodyScanner()
        let body = Array("4;ext=1\r\nabcd\r\n10\r\n0123456789abcdef\r\n0\r\nx-amz-checksum-crc32: AAAA\r\n\r\nNEXT".utf8)
        // Feed byte by byte to exercise every state.
        var consumed = 0
        for byte in body {
            let taken = try scan(&scanner, [byte])
            consumed += taken
            if scanner.isComplete { break }
        }
        #expect(scanner.isComplete)
        #expect(consumed == body.count - 4)
        var whole = ChunkedBodyScanner()
        let taken = try scan(&whole, body)
        #expect(taken == body.count - 4 && whole.isComplete)
        for bad in ["ZZ\r\n", "\r\n", "4\nabcd", "4\r\nabcdX\r\n", "1234567890abcdef0\r\n"] {
            var scanner = ChunkedBodyScanner()
            #expect(throws: ChunkedBodyScanner.Failure.self, "\(bad)") {
                _ = try scan(&scanner, Array(bad.utf8))
            }
        }
    }

    @Test("configuration: parsing of addresses, URLs, durations; validation names the setting")
    func configuration() throws {
        #expect(try ProxyListenAddress(parsing: "127.0.0.1:8000", field: "listen") == .init(host: "127.0.0.1", port: 8000))
        #expect(try ProxyListenAddress(parsing: ":9100", field: "listen") == .init(host: "0.0.0.0", port: 9100))
        #expect(try ProxyListenAddress(parsing: "[::1]:80", field: "listen") == .init(host: "::1", port: 80))
        #expect(throws: ProxyConfigurationError.self) { try ProxyListenAddress(parsing: "host:99999", field: "listen") }
        #expect(try ProxyBackendURL(parsing: "http://127.0.0.1:7070/", field: "backend") == .init(host: "127.0.0.1", port: 7070))
        #expect(throws: ProxyConfigurationError.self) { try ProxyBackendURL(parsing: "http://h:1/path", field: "backend") }
        #expect(try Duration.parseProxySetting("500ms", field: "d") == .milliseconds(500))
        #expect(try Duration.parseProxySetting("1.5m", field: "d") == .seconds(90))
        #expect(throws: ProxyConfigurationError.self) { try Duration.parseProxySetting("-1s", field: "d") }

        let defaults = ProxyConfiguration()
        #expect(defaults.listen == .init(host: "0.0.0.0", port: 8000))
        #expect(defaults.backends.map(\.port) == [7070, 7071, 7072])
        #expect(defaults.backendHealthPath == "/health")
        #expect(defaults.healthPath == "/_gateway/health")
        #expect(defaults.problems().isEmpty)

        var bad = ProxyConfiguration()
        bad.healthPath = "/mybucket/health"
        bad.rise = 0
        bad.backends = []
        let fields = Set(bad.problems().map(\.field))
        #expect(fields == ["health-path", "rise", "backend"])
    }

    @Test("node config mapping: proxy section and gateway ports")
    func nodeConfigMapping() throws {
        var settings = GatewayCore.ProxySettings()
        settings.listenPort = 8080
        settings.policy = .roundRobin
        settings.metricsPort = 9200
        settings.accessLog = "-"
        settings.drainSeconds = 15
        let node = NodeConfig(
            deployment: "d", region: "us-east-1", filespaces: [],
            gateways: NodeGateways(
                ports: [7070, 7071], rootAccessKey: Secret(reference: "env:A"), rootSecretKey: Secret(reference: "env:B"),
                dataRoot: "/d", iamDir: "/d/.vgw", virtualDomain: "s3.example.com", healthPath: "/vgw-health"),
            proxy: settings)
        let configuration = ProxyConfiguration(node: node)
        #expect(configuration.listen.port == 8080)
        #expect(configuration.backends == [.init(host: "127.0.0.1", port: 7070), .init(host: "127.0.0.1", port: 7071)])
        #expect(configuration.backendHealthPath == "/vgw-health")
        #expect(configuration.policy == .roundRobin)
        #expect(configuration.metricsListen == .init(host: "127.0.0.1", port: 9200))
        #expect(configuration.accessLog == .standardOutput)
        #expect(configuration.drainPeriod == .seconds(15))
        #expect(configuration.problems().isEmpty)
    }
}
