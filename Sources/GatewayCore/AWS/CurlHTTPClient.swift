import CCurl
import Foundation
import Synchronization

/// HTTPS through libcurl's easy interface. Each transfer runs on a thread of its own (never on Swift's
/// cooperative pool, which a blocking transfer would starve); idle easy handles are kept so that their
/// connections, TLS sessions and DNS entries are reused. Task cancellation aborts the transfer.
public final class CurlHTTPClient: Sendable {
    /// Time limits for one attempt.
    public struct Timeouts: Sendable, Equatable {
        /// Limit for establishing the connection (TCP and TLS).
        public var connect: Duration
        /// Limit for the whole transfer, connection included.
        public var total: Duration

        public init(connect: Duration = .seconds(5), total: Duration = .seconds(30)) {
            self.connect = connect
            self.total = total
        }
    }

    /// Default time limits for requests that do not give their own.
    public let timeouts: Timeouts
    /// Bodies larger than this are refused with `responseTooLarge`.
    public let maxResponseBytes: Int
    private let idleHandles = Mutex<[EasyHandle]>([])
    private let maxIdleHandles: Int

    private static let globalInit: CURLcode = gw_curl_global_init_default()

    public init(timeouts: Timeouts = Timeouts(), maxResponseBytes: Int = 32 << 20, maxIdleHandles: Int = 8) {
        _ = Self.globalInit
        self.timeouts = timeouts
        self.maxResponseBytes = maxResponseBytes
        self.maxIdleHandles = maxIdleHandles
    }

    deinit {
        for handle in idleHandles.withLock({ $0 }) {
            curl_easy_cleanup(handle.pointer)
        }
    }

    /// A client shared by every AWS client that is not given one.
    public static let shared = CurlHTTPClient()

    /// Sends `request` and returns the response, whatever its status.
    public func send(_ request: AWSHTTPRequest, timeouts: Timeouts? = nil) async throws -> AWSHTTPResponse {
        let transfer = Transfer(limit: maxResponseBytes)
        let limits = timeouts ?? self.timeouts
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<AWSHTTPResponse, any Error>) in
                let thread = Thread { [self] in
                    continuation.resume(with: Result { try self.perform(request, transfer: transfer, timeouts: limits) })
                }
                thread.name = "gateway-curl"
                thread.start()
            }
        } onCancel: {
            transfer.cancelled.store(true, ordering: .relaxed)
        }
    }

    private func takeHandle() -> UnsafeMutableRawPointer? {
        if let handle = idleHandles.withLock({ $0.popLast() }) {
            curl_easy_reset(handle.pointer)
            return handle.pointer
        }
        return curl_easy_init()
    }

    private func returnHandle(_ handle: UnsafeMutableRawPointer) {
        let kept = idleHandles.withLock { handles -> Bool in
            guard handles.count < maxIdleHandles else { return false }
            handles.append(EasyHandle(pointer: handle))
            return true
        }
        if !kept { curl_easy_cleanup(handle) }
    }

    private func perform(_ request: AWSHTTPRequest, transfer: Transfer, timeouts: Timeouts) throws -> AWSHTTPResponse {
        let host = request.endpoint.host
        guard let handle = takeHandle() else {
            throw AWSTransportError(kind: .other, host: host, message: "libcurl could not create a handle")
        }
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer {
            curl_slist_free_all(headerList)
            returnHandle(handle)
        }
        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        // Drop curl's own Expect and Accept headers; the signed set stays exactly what was signed.
        headerList = curl_slist_append(headerList, "Expect:")
        headerList = curl_slist_append(headerList, "Accept:")

        let unmanaged = Unmanaged.passRetained(transfer)
        defer { unmanaged.release() }
        let context = unmanaged.toOpaque()
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }

        gw_curl_set_string(handle, CURLOPT_URL, request.url)
        gw_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        gw_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        gw_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        gw_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(timeouts.connect))
        gw_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(timeouts.total))
        gw_curl_set_string(handle, CURLOPT_USERAGENT, "gateway/\(GatewayVersion.current)")
        gw_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        gw_curl_set_headers(handle, headerList)
        gw_curl_set_write_callback(handle, Self.writeBody)
        gw_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
        gw_curl_set_header_callback(handle, Self.writeHeader)
        gw_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
        gw_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
        gw_curl_set_progress_callback(handle, Self.progress)
        gw_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context)

        let method = request.method.uppercased()
        switch method {
        case "GET" where request.body.isEmpty:
            gw_curl_set_long(handle, CURLOPT_HTTPGET, 1)
        case "HEAD":
            gw_curl_set_long(handle, CURLOPT_NOBODY, 1)
        default:
            gw_curl_set_long(handle, CURLOPT_POST, 1)
            gw_curl_set_offset(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(request.body.count))
            _ = request.body.withUnsafeBufferPointer { buffer in
                // COPYPOSTFIELDS copies the bytes; an empty body still needs a valid pointer.
                if let base = buffer.baseAddress, !buffer.isEmpty {
                    gw_curl_set_pointer(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
                } else {
                    gw_curl_set_string(handle, CURLOPT_COPYPOSTFIELDS, "")
                }
            }
            if method != "POST" {
                gw_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method)
            }
        }

        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            throw Self.transportError(code, transfer: transfer, host: host, detail: String(cString: errorBuffer))
        }
        var status = 0
        gw_curl_get_response_code(handle, &status)
        return AWSHTTPResponse(status: status, headers: transfer.headers, body: transfer.body)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    private static func transportError(_ code: CURLcode, transfer: Transfer, host: String, detail: String)
        -> AWSTransportError
    {
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        let kind: AWSTransportError.Kind
        switch code {
        case CURLE_ABORTED_BY_CALLBACK: kind = .cancelled
        case CURLE_OPERATION_TIMEDOUT: kind = .timedOut
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .connectionFailed
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CACERT_BADFILE:
            kind = .tls
        case CURLE_WRITE_ERROR where transfer.overflowed: kind = .responseTooLarge
        default: kind = .other
        }
        return AWSTransportError(kind: kind, host: host, message: message)
    }

    private static let writeBody: gw_curl_data_callback = { buffer, size, count, context in
        guard let buffer, let context else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        if transfer.body.count + length > transfer.limit {
            transfer.overflowed = true
            return 0
        }
        transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
        return length
    }

    private static let writeHeader: gw_curl_data_callback = { buffer, size, count, context in
        guard let buffer, let context else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        let length = size * count
        let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            transfer.headers.removeAll()  // a new response (after 100 Continue): forget the previous one
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            transfer.headers.append((name, value))
        }
        return length
    }

    private static let progress: gw_curl_progress_callback = { context, _, _, _, _ in
        guard let context else { return 0 }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        return transfer.cancelled.load(ordering: .relaxed) ? 1 : 0
    }

    /// A libcurl easy handle; used by one transfer thread at a time.
    private struct EasyHandle: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer
    }

    /// State of one transfer, touched by libcurl's callbacks on the transfer's thread only
    /// (except the cancellation flag, which is atomic).
    private final class Transfer: @unchecked Sendable {
        let limit: Int
        let cancelled = Atomic<Bool>(false)
        var body: [UInt8] = []
        var headers: [(name: String, value: String)] = []
        var overflowed = false

        init(limit: Int) {
            self.limit = limit
        }
    }
}
