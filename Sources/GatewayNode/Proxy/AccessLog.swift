import NIOCore
import NIOPosix
import Prometheus
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One JSON line per request. The query string is never written: presigned URLs carry signatures
/// and credentials there. Only the path, without `?…`, is logged.
enum AccessLogLine {
    static func append(
        to line: inout [UInt8], client: String, head: ByteBuffer?, request: RequestHead, operation: S3OperationClass, status: Int,
        received: Int64, sent: Int64, durationNanos: Int64, firstByteNanos: Int64, backend: String?, attempts: Int,
        requestID: String?, outcome: ExchangeOutcome
    ) {
        line.append(contentsOf: #"{"time":""#.utf8)
        appendTimestamp(&line)
        line.append(contentsOf: #"","client":"#.utf8)
        appendString(&line, client.utf8)
        if let head, !request.target.isEmpty {
            head.withUnsafeReadableBytes { bytes in
                var methodEnd = 0
                while methodEnd < bytes.count, bytes[methodEnd] != 0x20 { methodEnd += 1 }
                line.append(contentsOf: #","method":"#.utf8)
                appendString(&line, UnsafeRawBufferPointer(rebasing: bytes[0..<methodEnd]))
                if let host = request.host {
                    line.append(contentsOf: #","host":"#.utf8)
                    appendString(&line, UnsafeRawBufferPointer(rebasing: bytes[host]))
                }
                var pathEnd = request.target.lowerBound
                while pathEnd < request.target.upperBound, bytes[pathEnd] != UInt8(ascii: "?") { pathEnd += 1 }
                line.append(contentsOf: #","path":"#.utf8)
                appendString(&line, UnsafeRawBufferPointer(rebasing: bytes[request.target.lowerBound..<pathEnd]))
            }
        }
        line.append(contentsOf: #","operation":""#.utf8)
        line.append(contentsOf: operation.label.utf8)
        line.append(contentsOf: #"","status":"#.utf8)
        line.append(contentsOf: String(status == 0 ? 499 : status).utf8)
        line.append(contentsOf: #","bytes_in":"#.utf8)
        line.append(contentsOf: String(received).utf8)
        line.append(contentsOf: #","bytes_out":"#.utf8)
        line.append(contentsOf: String(sent).utf8)
        line.append(contentsOf: #","duration_ms":"#.utf8)
        appendMilliseconds(&line, durationNanos)
        if firstByteNanos >= 0 {
            line.append(contentsOf: #","first_byte_ms":"#.utf8)
            appendMilliseconds(&line, firstByteNanos)
        }
        if let backend {
            line.append(contentsOf: #","backend":"#.utf8)
            appendString(&line, backend.utf8)
        }
        line.append(contentsOf: #","attempts":"#.utf8)
        line.append(contentsOf: String(attempts).utf8)
        if let requestID {
            line.append(contentsOf: #","request_id":"#.utf8)
            appendString(&line, requestID.utf8)
        }
        line.append(contentsOf: #","outcome":""#.utf8)
        line.append(contentsOf: outcome.label.utf8)
        line.append(contentsOf: "\"}\n".utf8)
    }

    private static func appendMilliseconds(_ line: inout [UInt8], _ nanos: Int64) {
        let micros = max(nanos, 0) / 1000
        line.append(contentsOf: String(micros / 1000).utf8)
        line.append(UInt8(ascii: "."))
        let fraction = String(micros % 1000)
        line.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 3 - fraction.utf8.count))
        line.append(contentsOf: fraction.utf8)
    }

    /// Appends a JSON string; control characters, quotes, backslashes and non-ASCII bytes are escaped.
    private static func appendString<S: Sequence>(_ line: inout [UInt8], _ bytes: S) where S.Element == UInt8 {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        line.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                line.append(UInt8(ascii: "\\"))
                line.append(byte)
            case 0x20..<0x7F:
                line.append(byte)
            default:
                line.append(contentsOf: #"\u00"#.utf8)
                line.append(hex[Int(byte >> 4)])
                line.append(hex[Int(byte & 0x0F)])
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    private static func appendTimestamp(_ line: inout [UInt8]) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) {
            line.append(UInt8(ascii: "0") + UInt8(value / 10))
            line.append(UInt8(ascii: "0") + UInt8(value % 10))
        }
        line.append(contentsOf: String(parts.tm_year + 1900).utf8)
        line.append(UInt8(ascii: "-"))
        two(parts.tm_mon + 1)
        line.append(UInt8(ascii: "-"))
        two(parts.tm_mday)
        line.append(UInt8(ascii: "T"))
        two(parts.tm_hour)
        line.append(UInt8(ascii: ":"))
        two(parts.tm_min)
        line.append(UInt8(ascii: ":"))
        two(parts.tm_sec)
        let millis = Int32(now.tv_nsec / 1_000_000)
        line.append(UInt8(ascii: "."))
        line.append(UInt8(ascii: "0") + UInt8(millis / 100))
        two(millis % 100)
        line.append(UInt8(ascii: "Z"))
    }
}

/// Writes access-log batches on a thread of its own, so that a slow disk or pipe never blocks an
/// event loop. When more than `maxPendingBytes` wait, new batches are dropped (and counted).
final class AccessLogSink: Sendable {
    private struct State {
        var fd: Int32
        var pending: Int = 0
    }

    private let destination: ProxyConfiguration.AccessLogDestination
    private let state: Mutex<State>
    private let pool: NIOThreadPool
    private let dropped: Counter
    private let maxPendingBytes = 16 << 20

    init(destination: ProxyConfiguration.AccessLogDestination, dropped: Counter) throws(ProxyConfigurationError) {
        self.destination = destination
        self.dropped = dropped
        let fd = try Self.open(destination)
        self.state = Mutex(State(fd: fd))
        self.pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    private static func open(_ destination: ProxyConfiguration.AccessLogDestination) throws(ProxyConfigurationError) -> Int32 {
        switch destination {
        case .standardOutput:
            return STDOUT_FILENO
        case .file(let path):
            let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
            guard fd >= 0 else {
                throw ProxyConfigurationError(
                    field: "access-log", message: "cannot open '\(path)': \(String(cString: strerror(errno)))",
                    hint: "give a writable file path or - for standard output")
            }
            return fd
        }
    }

    func enqueue(_ bytes: [UInt8]) {
        let accepted = state.withLock { state -> Bool in
            guard state.pending + bytes.count <= maxPendingBytes else { return false }
            state.pending += bytes.count
            return true
        }
        guard accepted else {
            dropped.increment(by: Int64(bytes.filter { $0 == 0x0A }.count))
            return
        }
        pool.submit { [self] _ in
            let fd = state.withLock { $0.fd }
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        break
                    }
                    offset += written
                }
            }
            state.withLock { $0.pending -= bytes.count }
        }
    }

    /// Reopens the log file (after rotation); standard output stays as it is.
    func reopen() {
        guard case .file = destination, let fd = try? Self.open(destination) else { return }
        pool.submit { [self] _ in
            let old = state.withLock { state -> Int32 in
                let old = state.fd
                state.fd = fd
                return old
            }
            Glibc.close(old)
        }
    }

    /// Writes what is queued and stops the writer thread.
    func close() async {
        try? await pool.shutdownGracefully()
        state.withLock { state in
            if state.fd != STDOUT_FILENO { Glibc.close(state.fd) }
            state.fd = -1
        }
    }
}
