import NIOCore

/// Responses the proxy makes itself: S3-style XML errors and its health endpoint.
enum LocalResponse {
    static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 431: "Request Header Fields Too Large"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Error"
        }
    }

    /// An S3 error document (`<Error><Code>…`) with `x-amz-request-id`, optionally `Retry-After`.
    static func s3Error(
        status: Int, code: String, message: String, requestID: String, retryAfterSeconds: Int? = nil,
        close: Bool, omitBody: Bool, allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        let body =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message>"
            + "<RequestId>\(requestID)</RequestId></Error>\n"
        var extra = "x-amz-request-id: \(requestID)\r\n"
        if let retryAfterSeconds { extra += "Retry-After: \(retryAfterSeconds)\r\n" }
        return make(status: status, contentType: "application/xml", body: body, extraHeaders: extra, close: close, omitBody: omitBody, allocator: allocator)
    }

    static func make(
        status: Int, contentType: String, body: String, extraHeaders: String = "", close: Bool, omitBody: Bool,
        allocator: ByteBufferAllocator
    ) -> ByteBuffer {
        var head = "HTTP/1.1 \(status) \(reason(status))\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\n"
        head += "Cache-Control: no-store\r\n"
        head += extraHeaders
        if close { head += "Connection: close\r\n" }
        head += "\r\n"
        var buffer = allocator.buffer(capacity: head.utf8.count + (omitBody ? 0 : body.utf8.count))
        buffer.writeString(head)
        if !omitBody { buffer.writeString(body) }
        return buffer
    }
}

extension S3OperationClass {
    /// Classifies a request for metrics and for its response timeout from the method, the query
    /// and the `x-amz-copy-source` header. Cheap byte checks only.
    static func classify(_ head: RequestHead, _ bytes: UnsafeRawBufferPointer) -> S3OperationClass {
        if head.copySource && head.method == .put { return .copy }
        var query: Range<Int>? = nil
        for index in head.target where bytes[index] == UInt8(ascii: "?") {
            query = (index + 1)..<head.target.upperBound
            break
        }
        if let query {
            if contains(bytes, query, "uploadId=") || contains(bytes, query, "uploads") { return .multipart }
            if head.method == .post && contains(bytes, query, "delete") { return .delete }
        }
        switch head.method {
        case .get:
            if let query, contains(bytes, query, "list-type=") || contains(bytes, query, "prefix=") || contains(bytes, query, "delimiter=") {
                return .list
            }
            let pathEnd = query.map { $0.lowerBound - 1 } ?? head.target.upperBound
            // "/" or "/bucket" or "/bucket/" (path style) list; anything deeper reads an object.
            var slashes = 0
            var lastSlash = head.target.lowerBound
            for index in head.target.lowerBound..<pathEnd where bytes[index] == UInt8(ascii: "/") {
                slashes += 1
                lastSlash = index
            }
            if slashes <= 1 && pathEnd - head.target.lowerBound <= 1 { return .list }
            if slashes == 2 && lastSlash == pathEnd - 1 { return .list }
            return .get
        case .head: return .head
        case .put: return .put
        case .delete: return .delete
        case .post: return .post
        case .options: return .options
        case .other: return .other
        }
    }

    /// True for operations a backend may answer only after minutes (CompleteMultipartUpload,
    /// CopyObject/UploadPartCopy, DeleteObjects).
    func isLongRunning(method: RequestMethod) -> Bool {
        switch self {
        case .copy: true
        case .multipart: method == .post
        case .delete: method == .post
        default: false
        }
    }

    private static func contains(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard range.count >= length else { return false }
        let pointer = literal.utf8Start
        var start = range.lowerBound
        while start + length <= range.upperBound {
            var match = true
            for offset in 0..<length where bytes[start + offset] != pointer[offset] {
                match = false
                break
            }
            if match { return true }
            start += 1
        }
        return false
    }
}
