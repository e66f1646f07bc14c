import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Request methods the proxy treats specially (everything else is forwarded as `other`).
enum RequestMethod: UInt8, CaseIterable {
    case get, head, put, post, delete, options, other

    var label: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .put: "PUT"
        case .post: "POST"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        case .other: "OTHER"
        }
    }

    /// Methods that may be sent twice without changing the outcome (RFC 9110 §9.2.2).
    var isIdempotent: Bool {
        switch self {
        case .get, .head, .put, .delete, .options: true
        case .post, .other: false
        }
    }
}

/// Why a head could not be parsed; mapped to the status the client gets.
enum HeadParseError: Error, Equatable {
    case malformed(String)
    case tooLarge
    case unsupportedVersion
    case notImplemented(String)

    var status: Int {
        switch self {
        case .malformed: 400
        case .tooLarge: 431
        case .unsupportedVersion: 505
        case .notImplemented: 501
        }
    }
}

/// The parts of a request head the proxy acts on. Offsets are relative to the head's first byte.
struct RequestHead {
    var length = 0
    var method: RequestMethod = .other
    var target: Range<Int> = 0..<0
    var minorVersion = 1
    var framing: MessageFraming = .none
    var expectContinue = false
    var connectionClose = false
    var connectionKeepAlive = false
    var host: Range<Int>? = nil
    var copySource = false
    /// Header lines (CRLF included) that must not be forwarded (hop-by-hop).
    var dropLines = HeaderLines()
    /// Value of an `X-Forwarded-For` header the client sent.
    var forwardedFor: Range<Int>? = nil
    var forwardedForLine: Range<Int>? = nil

    var clientWantsKeepAlive: Bool { minorVersion >= 1 ? !connectionClose : connectionKeepAlive }
}

/// The parts of a response head the proxy acts on.
struct ResponseHead {
    var length = 0
    var status = 0
    var minorVersion = 1
    var contentLength: Int64? = nil
    var chunked = false
    var connectionClose = false
    var connectionKeepAlive = false
    var dropLines = HeaderLines()
    var requestID: Range<Int>? = nil

    /// True when the backend keeps the connection open after this response.
    var backendKeepsAlive: Bool { minorVersion >= 1 ? !connectionClose : connectionKeepAlive }

    func framing(requestMethod: RequestMethod) -> MessageFraming {
        if requestMethod == .head || status == 204 || status == 304 || (100..<200).contains(status) { return .none }
        if chunked { return .chunked }
        if let contentLength { return .length(contentLength) }
        return .untilClose
    }
}

/// A strict, allocation-free parser for HTTP/1.x heads. It only reads; the proxy forwards the
/// original bytes, so request lines and signed headers reach the backend exactly as sent.
enum HTTPHeadParser {
    /// Finds the end of a head (`CRLF CRLF`) in `bytes`, resuming the search at `from`.
    /// Returns the head length including the terminator, or `nil` when it is not complete yet.
    static func headLength(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        var index = max(from, 3)
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        // Jump from line feed to line feed (memchr is vectorised); check the three bytes before each.
        while index < count, let found = memchr(base + index, 0x0A, count - index) {
            let position = base.distance(to: UnsafeRawPointer(found))
            if position >= 3 && bytes[position - 1] == 0x0D && bytes[position - 2] == 0x0A && bytes[position - 3] == 0x0D {
                return position + 1
            }
            index = position + 1
        }
        return nil
    }

    static func parseRequest(_ bytes: UnsafeRawBufferPointer, length: Int) throws(HeadParseError) -> RequestHead {
        var head = RequestHead()
        head.length = length
        // request line: method SP target SP HTTP/1.x CRLF
        var index = 0
        while index < length, isTokenByte(bytes[index]) { index += 1 }
        guard index > 0, index < length, bytes[index] == 0x20 else { throw .malformed("invalid request line") }
        head.method = classifyMethod(bytes, count: index)
        index += 1
        let targetStart = index
        while index < length {
            let byte = bytes[index]
            if byte == 0x20 { break }
            guard byte > 0x20, byte != 0x7F else { throw .malformed("invalid character in request target") }
            index += 1
        }
        guard index > targetStart, index < length else { throw .malformed("invalid request line") }
        head.target = targetStart..<index
        guard
            bytes[targetStart] == UInt8(ascii: "/") || bytes[targetStart] == UInt8(ascii: "*")
                || isAbsoluteURI(bytes, targetStart..<index)
        else { throw .malformed("invalid request target") }
        index += 1
        guard index + 10 <= length else { throw .malformed("invalid request line") }
        head.minorVersion = try version(bytes, at: index)
        index += 8
        guard bytes[index] == 0x0D, bytes[index + 1] == 0x0A else { throw .malformed("invalid request line") }
        index += 2

        var contentLength: Int64? = nil
        var transferEncoding = false
        var chunkedLast = false
        var hostCount = 0
        var connectionNames: [Range<Int>] = []
        try forEachHeader(bytes, from: index, end: length) { (name, value, line) throws(HeadParseError) in
            switch HeaderName.classify(bytes, name) {
            case .host:
                hostCount += 1
                head.host = value
            case .contentLength:
                guard let parsed = parseContentLength(bytes, value) else { throw .malformed("invalid Content-Length") }
                if let contentLength, contentLength != parsed { throw .malformed("conflicting Content-Length headers") }
                contentLength = parsed
            case .transferEncoding:
                transferEncoding = true
                chunkedLast = lastTokenIsChunked(bytes, value)
            case .expect:
                if equalsIgnoringCase(bytes, value, "100-continue") {
                    head.expectContinue = true
                } else {
                    throw .malformed("unsupported Expect value")
                }
            case .connection:
                head.dropLines.insert(line)
                scanConnection(bytes, value, close: &head.connectionClose, keepAlive: &head.connectionKeepAlive, others: &connectionNames)
            case .keepAlive, .proxyConnection, .te, .upgrade, .proxyAuthorization:
                head.dropLines.insert(line)
            case .xForwardedFor:
                head.forwardedFor = value
                head.forwardedForLine = line
            case .xAmzCopySource:
                head.copySource = true
            case .other, .xAmzRequestID:
                break
            }
        }
        if transferEncoding {
            guard contentLength == nil else { throw .malformed("both Content-Length and Transfer-Encoding") }
            guard head.minorVersion >= 1 else { throw .malformed("Transfer-Encoding in an HTTP/1.0 request") }
            guard chunkedLast else { throw .notImplemented("a Transfer-Encoding that does not end in chunked") }
            head.framing = .chunked
        } else if let contentLength, contentLength > 0 {
            head.framing = .length(contentLength)
        }
        if head.minorVersion >= 1 && hostCount != 1 { throw .malformed(hostCount == 0 ? "missing Host header" : "more than one Host header") }
        if hostCount > 1 { throw .malformed("more than one Host header") }
        if head.framing == .none { head.expectContinue = false }
        if !connectionNames.isEmpty {
            try dropNamedHeaders(bytes, from: index, end: length, names: connectionNames, into: &head.dropLines)
        }
        return head
    }

    static func parseResponse(_ bytes: UnsafeRawBufferPointer, length: Int) throws(HeadParseError) -> ResponseHead {
        var head = ResponseHead()
        head.length = length
        guard length >= 14 else { throw .malformed("invalid status line") }
        head.minorVersion = try version(bytes, at: 0)
        guard bytes[8] == 0x20 else { throw .malformed("invalid status line") }
        var status = 0
        for offset in 9..<12 {
            let byte = bytes[offset]
            guard byte >= 0x30 && byte <= 0x39 else { throw .malformed("invalid status code") }
            status = status * 10 + Int(byte - 0x30)
        }
        guard status >= 100 else { throw .malformed("invalid status code") }
        head.status = status
        var index = 12
        while index < length, bytes[index] != 0x0D {
            let byte = bytes[index]
            guard byte == 0x09 || byte >= 0x20, byte != 0x7F, byte != 0x0A else { throw .malformed("invalid reason phrase") }
            index += 1
        }
        guard index + 1 < length, bytes[index + 1] == 0x0A else { throw .malformed("invalid status line") }
        index += 2
        var transferEncoding = false
        var connectionNames: [Range<Int>] = []
        try forEachHeader(bytes, from: index, end: length) { (name, value, line) throws(HeadParseError) in
            switch HeaderName.classify(bytes, name) {
            case .contentLength:
                guard let parsed = parseContentLength(bytes, value) else { throw .malformed("invalid Content-Length") }
                if let contentLength = head.contentLength, contentLength != parsed { throw .malformed("conflicting Content-Length") }
                head.contentLength = parsed
            case .transferEncoding:
                transferEncoding = true
                head.chunked = lastTokenIsChunked(bytes, value)
            case .connection:
                head.dropLines.insert(line)
                scanConnection(bytes, value, close: &head.connectionClose, keepAlive: &head.connectionKeepAlive, others: &connectionNames)
            case .keepAlive, .proxyConnection, .upgrade:
                head.dropLines.insert(line)
            case .xAmzRequestID:
                head.requestID = value
            default:
                break
            }
        }
        if transferEncoding {
            // Transfer-Encoding overrides Content-Length (RFC 9112 §6.3); a non-chunked coding is close-delimited.
            head.contentLength = nil
            if !head.chunked { head.connectionClose = true }
        }
        if !connectionNames.isEmpty {
            try dropNamedHeaders(bytes, from: index, end: length, names: connectionNames, into: &head.dropLines)
        }
        return head
    }

    // MARK: - pieces

    private static func version(_ bytes: UnsafeRawBufferPointer, at index: Int) throws(HeadParseError) -> Int {
        // "HTTP/1.x"
        guard bytes[index] == UInt8(ascii: "H"), bytes[index + 1] == UInt8(ascii: "T"), bytes[index + 2] == UInt8(ascii: "T"),
            bytes[index + 3] == UInt8(ascii: "P"), bytes[index + 4] == UInt8(ascii: "/"), bytes[index + 6] == UInt8(ascii: ".")
        else { throw .malformed("invalid HTTP version") }
        let major = bytes[index + 5]
        let minor = bytes[index + 7]
        guard major >= 0x30 && major <= 0x39, minor >= 0x30 && minor <= 0x39 else { throw .malformed("invalid HTTP version") }
        guard major == UInt8(ascii: "1") else { throw .unsupportedVersion }
        return Int(minor - 0x30)
    }

    /// Calls `body(name, value, line)` for each header line from `start` up to the terminating empty line.
    /// Rejects obsolete line folding, bare LF, control characters and malformed names.
    @inline(__always)
    private static func forEachHeader(
        _ bytes: UnsafeRawBufferPointer, from start: Int, end: Int,
        _ body: (Range<Int>, Range<Int>, Range<Int>) throws(HeadParseError) -> Void
    ) throws(HeadParseError) {
        var index = start
        var headerCount = 0
        while index < end {
            let lineStart = index
            if bytes[index] == 0x0D {
                guard index + 1 < end, bytes[index + 1] == 0x0A else { throw .malformed("bare CR") }
                return  // empty line: end of head
            }
            guard bytes[index] != 0x20 && bytes[index] != 0x09 else { throw .malformed("obsolete line folding") }
            while index < end, isTokenByte(bytes[index]) { index += 1 }
            guard index > lineStart, index < end, bytes[index] == UInt8(ascii: ":") else { throw .malformed("invalid header name") }
            let name = lineStart..<index
            index += 1
            while index < end, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
            let valueStart = index
            // The value runs to the first control byte other than HTAB, which must be the line's CR.
            index = firstControlByte(bytes, from: index, end: end)
            while index < end && bytes[index] == 0x09 { index = firstControlByte(bytes, from: index + 1, end: end) }
            guard index < end, bytes[index] == 0x0D else {
                throw .malformed(index < end && bytes[index] == 0x0A ? "bare CR or LF in header" : "invalid character in header value")
            }
            var valueEnd = index
            while valueEnd > valueStart && (bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09) { valueEnd -= 1 }
            guard index + 1 < end, bytes[index + 1] == 0x0A else { throw .malformed("bare CR or LF in header") }
            index += 2
            headerCount += 1
            guard headerCount <= 256 else { throw .tooLarge }
            try body(name, valueStart..<valueEnd, lineStart..<index)
        }
    }

    /// The index of the first byte in `start..<end` that is a control character (below 0x20) or DEL,
    /// or `end`. Header values are scanned eight bytes at a time: in each 64-bit word, a byte's high bit
    /// is set in `hits` when the byte is below 0x20 or equals 0x7F. A borrow can only mark bytes after
    /// the first real hit, so the lowest marked byte is always exact.
    @inline(__always)
    static func firstControlByte(_ bytes: UnsafeRawBufferPointer, from start: Int, end: Int) -> Int {
        var index = start
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highBits: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= end {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
                let belowSpace = (word &- ones &* 0x20) & ~word & highBits
                let delete = word ^ (ones &* 0x7F)
                let hits = belowSpace | ((delete &- ones) & ~delete & highBits)
                if hits != 0 { return index + hits.trailingZeroBitCount / 8 }
                index += 8
            }
        }
        while index < end {
            let byte = bytes[index]
            if byte < 0x20 || byte == 0x7F { return index }
            index += 1
        }
        return end
    }

    private static func dropNamedHeaders(
        _ bytes: UnsafeRawBufferPointer, from start: Int, end: Int, names: [Range<Int>], into lines: inout HeaderLines
    ) throws(HeadParseError) {
        try forEachHeader(bytes, from: start, end: end) { (name, _, line) throws(HeadParseError) in
            // Never drop framing or identity headers because a client named them in Connection.
            switch HeaderName.classify(bytes, name) {
            case .host, .contentLength, .transferEncoding, .xAmzCopySource, .xAmzRequestID: return
            default: break
            }
            // x-amz-* headers are signed by SigV4 and never hop-by-hop for S3.
            if name.count > 6, equalsIgnoringCase(bytes, name.lowerBound..<(name.lowerBound + 6), "x-amz-") { return }
            for candidate in names where candidate.count == name.count && equalsIgnoringCase(bytes, name, bytes, candidate) {
                lines.insert(line)
                return
            }
        }
    }

    private static func scanConnection(
        _ bytes: UnsafeRawBufferPointer, _ value: Range<Int>, close: inout Bool, keepAlive: inout Bool, others: inout [Range<Int>]
    ) {
        forEachToken(bytes, value) { token in
            if equalsIgnoringCase(bytes, token, "close") {
                close = true
            } else if equalsIgnoringCase(bytes, token, "keep-alive") {
                keepAlive = true
            } else {
                others.append(token)
            }
        }
    }

    private static func lastTokenIsChunked(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) -> Bool {
        var last: Range<Int>? = nil
        forEachToken(bytes, value) { last = $0 }
        guard let last else { return false }
        return equalsIgnoringCase(bytes, last, "chunked")
    }

    private static func forEachToken(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>, _ body: (Range<Int>) -> Void) {
        var index = value.lowerBound
        while index < value.upperBound {
            while index < value.upperBound, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == UInt8(ascii: ",") { index += 1 }
            let start = index
            while index < value.upperBound, bytes[index] != UInt8(ascii: ",") { index += 1 }
            var end = index
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            if end > start { body(start..<end) }
        }
    }

    private static func parseContentLength(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) -> Int64? {
        guard !value.isEmpty, value.count <= 18 else { return nil }
        var result: Int64 = 0
        for index in value {
            let byte = bytes[index]
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            result = result * 10 + Int64(byte - 0x30)
        }
        return result
    }

    private static func classifyMethod(_ bytes: UnsafeRawBufferPointer, count: Int) -> RequestMethod {
        switch count {
        case 3:
            if bytes[0] == UInt8(ascii: "G") && bytes[1] == UInt8(ascii: "E") && bytes[2] == UInt8(ascii: "T") { return .get }
            if bytes[0] == UInt8(ascii: "P") && bytes[1] == UInt8(ascii: "U") && bytes[2] == UInt8(ascii: "T") { return .put }
        case 4:
            if equals(bytes, 0..<4, "HEAD") { return .head }
            if equals(bytes, 0..<4, "POST") { return .post }
        case 6:
            if equals(bytes, 0..<6, "DELETE") { return .delete }
        case 7:
            if equals(bytes, 0..<7, "OPTIONS") { return .options }
        default:
            break
        }
        return .other
    }

    private static func isAbsoluteURI(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        range.count > 7
            && (equalsIgnoringCase(bytes, range.lowerBound..<(range.lowerBound + 7), "http://")
                || equalsIgnoringCase(bytes, range.lowerBound..<(range.lowerBound + 8), "https://"))
    }

    /// Whether `byte` is a `tchar` (RFC 9110 §5.6.2): letters, digits and ``!#$%&'*+-.^_`|~``.
    /// Two 64-bit masks of the ASCII range, tested inline: no table, no lazy global, per byte.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        let low: UInt64 = 0x03FF_6CFA_0000_0000  // bytes 0-63: ! # $ % & ' * + - . 0-9
        let high: UInt64 = 0x57FF_FFFF_C7FF_FFFE  // bytes 64-127: A-Z ^ _ ` a-z | ~
        switch byte {
        case 0..<64: return (low >> UInt64(byte)) & 1 == 1
        case 64..<128: return (high >> UInt64(byte &- 64)) & 1 == 1
        default: return false
        }
    }

    static func equals(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<range.count where bytes[range.lowerBound + offset] != pointer[offset] { return false }
        return true
    }

    /// ASCII case-insensitive comparison with a lower-case literal.
    @inline(__always)
    static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<range.count where lower(bytes[range.lowerBound + offset]) != pointer[offset] { return false }
        return true
    }

    static func equalsIgnoringCase(
        _ lhs: UnsafeRawBufferPointer, _ lhsRange: Range<Int>, _ rhs: UnsafeRawBufferPointer, _ rhsRange: Range<Int>
    ) -> Bool {
        guard lhsRange.count == rhsRange.count else { return false }
        for offset in 0..<lhsRange.count where lower(lhs[lhsRange.lowerBound + offset]) != lower(rhs[rhsRange.lowerBound + offset]) {
            return false
        }
        return true
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
}

/// Header names the proxy recognises, matched without allocation.
enum HeaderName {
    case host, contentLength, transferEncoding, expect, connection, keepAlive, proxyConnection, te, upgrade
    case proxyAuthorization, xForwardedFor, xAmzCopySource, xAmzRequestID, other

    @inline(__always)
    static func classify(_ bytes: UnsafeRawBufferPointer, _ name: Range<Int>) -> HeaderName {
        typealias P = HTTPHeadParser
        switch name.count {
        case 2: return P.equalsIgnoringCase(bytes, name, "te") ? .te : .other
        case 4: return P.equalsIgnoringCase(bytes, name, "host") ? .host : .other
        case 6: return P.equalsIgnoringCase(bytes, name, "expect") ? .expect : .other
        case 7: return P.equalsIgnoringCase(bytes, name, "upgrade") ? .upgrade : .other
        case 10:
            if P.equalsIgnoringCase(bytes, name, "connection") { return .connection }
            return P.equalsIgnoringCase(bytes, name, "keep-alive") ? .keepAlive : .other
        case 14: return P.equalsIgnoringCase(bytes, name, "content-length") ? .contentLength : .other
        case 15: return P.equalsIgnoringCase(bytes, name, "x-forwarded-for") ? .xForwardedFor : .other
        case 16:
            if P.equalsIgnoringCase(bytes, name, "x-amz-request-id") { return .xAmzRequestID }
            return P.equalsIgnoringCase(bytes, name, "proxy-connection") ? .proxyConnection : .other
        case 17:
            if P.equalsIgnoringCase(bytes, name, "transfer-encoding") { return .transferEncoding }
            return P.equalsIgnoringCase(bytes, name, "x-amz-copy-source") ? .xAmzCopySource : .other
        case 19: return P.equalsIgnoringCase(bytes, name, "proxy-authorization") ? .proxyAuthorization : .other
        default: return .other
        }
    }
}
