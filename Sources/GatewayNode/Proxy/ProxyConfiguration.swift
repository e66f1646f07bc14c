import GatewayCore

/// Every setting of the S3 balancing proxy.
///
/// The defaults reproduce the reference node: the proxy listens on `0.0.0.0:8000` in front of three
/// VersityGW processes on `127.0.0.1:7070-7072`, checks their `/health` path and answers the load
/// balancer on `/_gateway/health` (a path that can never be an S3 bucket, since bucket names cannot
/// contain `_`).
public struct ProxyConfiguration: Sendable, Equatable {
    /// Where the access log goes.
    public enum AccessLogDestination: Sendable, Equatable {
        /// JSON lines on standard output.
        case standardOutput
        /// JSON lines appended to a file (reopened on reload, for log rotation).
        case file(String)
    }

    /// Address the S3 listener binds to.
    public var listen: ProxyListenAddress = .init(host: "0.0.0.0", port: 8000)
    /// The backends (VersityGW processes), all of which can serve any request.
    public var backends: [ProxyBackendURL] = (7070...7072).map { ProxyBackendURL(host: "127.0.0.1", port: $0) }
    /// The proxy's own health endpoint for the load balancer.
    public var healthPath: String = "/_gateway/health"
    /// Minimum number of healthy backends for the proxy's health endpoint to answer 200.
    public var minimumHealthyBackends: Int = 1
    /// Path of each backend's health endpoint (VersityGW `--health`).
    public var backendHealthPath: String = "/health"
    /// Interval between active health checks of a healthy backend.
    public var healthInterval: Duration = .seconds(2)
    /// Interval between active health checks while a backend is down or changing state.
    public var fastHealthInterval: Duration = .milliseconds(500)
    /// Time a health check may take before it counts as failed.
    public var healthTimeout: Duration = .seconds(1)
    /// Consecutive successful checks that bring a down backend back.
    public var rise: Int = 2
    /// Consecutive failed checks (or failed requests) that take a backend out.
    public var fall: Int = 3
    /// Time over which a backend that came back ramps up to its full share of requests.
    public var slowStart: Duration = .seconds(10)
    /// Balancing policy.
    public var policy: BalancingPolicy = .powerOfTwoChoices
    /// Address of the Prometheus metrics listener; `nil` disables it.
    public var metricsListen: ProxyListenAddress? = nil
    /// Access log destination; `nil` disables the access log.
    public var accessLog: AccessLogDestination? = nil
    /// After SIGTERM: how long the proxy keeps serving (reporting unhealthy) so that the load balancer
    /// deregisters it, before it stops accepting connections.
    public var drainPeriod: Duration = .seconds(10)
    /// After the drain period: how long in-flight requests may still take before connections are cut.
    public var shutdownGracePeriod: Duration = .seconds(30)
    /// Time allowed to connect to a backend.
    public var connectTimeout: Duration = .seconds(2)
    /// Time a client connection may stay idle between requests (keep it above the load balancer's).
    public var idleTimeout: Duration = .seconds(75)
    /// Time a client has to send a complete request head (slowloris protection).
    public var requestHeadTimeout: Duration = .seconds(30)
    /// Time a backend has to start its response once the request was sent.
    public var responseTimeout: Duration = .seconds(60)
    /// Time-to-first-byte limit for operations that are silent for long (CompleteMultipartUpload,
    /// CopyObject, UploadPartCopy, DeleteObjects).
    public var longOperationTimeout: Duration = .seconds(900)
    /// Longest pause in a request or response body before the transfer is aborted.
    public var bodyIdleTimeout: Duration = .seconds(120)
    /// Time the proxy waits for a backend's `100 Continue` before it streams the body anyway.
    public var expectContinueTimeout: Duration = .seconds(1)
    /// Most client connections served at once; more are closed right after accept.
    public var maxConnections: Int = 10_000
    /// Largest request or response head (request line and headers) accepted.
    public var maxHeadBytes: Int = 32 * 1024
    /// Small idempotent responses up to this many body bytes are held until complete, so that a
    /// backend dying mid-response can still be retried on another backend.
    public var retryBufferBytes: Int = 64 * 1024
    /// Most attempts (first try plus retries) per request.
    public var maxAttempts: Int = 3
    /// Add `X-Forwarded-For` (client address appended) and `X-Forwarded-Proto` to proxied requests.
    public var addForwardedHeaders: Bool = false
    /// Event loop threads; `nil` means one per CPU core.
    public var threads: Int? = nil
    /// Idle backend connections kept per backend and thread.
    public var maxIdleConnectionsPerBackend: Int = 256
    /// Time an idle pooled backend connection is kept.
    public var backendIdleTimeout: Duration = .seconds(30)

    /// The reference settings.
    public init() {}
}

/// A `HOST:PORT` listen address.
public struct ProxyListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// IPv4/IPv6 literal or host name to bind.
    public var host: String
    /// TCP port; 0 picks a free port.
    public var port: Int

    /// An address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces).
    public init(parsing text: String, field: String) throws(ProxyConfigurationError) {
        let hint = "give HOST:PORT, e.g. 0.0.0.0:8000 or 127.0.0.1:9100"
        var hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ProxyConfigurationError(field: field, message: "'\(text)' is not an address", hint: hint)
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw ProxyConfigurationError(field: field, message: "'\(text)' has no port", hint: hint)
            }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        if hostPart.isEmpty { hostPart = "0.0.0.0" }
        guard let port = Int(portPart), (0...65535).contains(port) else {
            throw ProxyConfigurationError(field: field, message: "'\(portPart)' is not a port (0-65535)", hint: hint)
        }
        self.host = String(hostPart)
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// A backend base URL: `http://HOST:PORT` (plain HTTP; the backends run on the same machine).
public struct ProxyBackendURL: Sendable, Hashable, CustomStringConvertible {
    /// Host name or IP literal.
    public var host: String
    /// TCP port.
    public var port: Int

    /// A backend from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `http://HOST:PORT` (a trailing `/` is allowed; the port defaults to 80).
    public init(parsing text: String, field: String) throws(ProxyConfigurationError) {
        let hint = "give a URL like http://127.0.0.1:7070"
        guard text.hasPrefix("http://") else {
            let message =
                text.hasPrefix("https://")
                ? "'\(text)' uses https; backends are plain http on the local machine"
                : "'\(text)' is not an http:// URL"
            throw ProxyConfigurationError(field: field, message: message, hint: hint)
        }
        var rest = text.dropFirst("http://".count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty, !rest.contains("/"), !rest.contains("?"), !rest.contains("@") else {
            throw ProxyConfigurationError(
                field: field, message: "'\(text)' must be scheme, host and port only (no path, query or user)", hint: hint)
        }
        do throws(ProxyConfigurationError) {
            let address = try ProxyListenAddress(parsing: rest.contains(":") && !rest.hasSuffix("]") ? String(rest) : "\(rest):80", field: field)
            guard address.port > 0 else {
                throw ProxyConfigurationError(field: field, message: "'\(text)' has port 0", hint: hint)
            }
            self.host = address.host
            self.port = address.port
        } catch {
            throw ProxyConfigurationError(field: field, message: "'\(text)' is not a valid backend URL (\(error.message))", hint: hint)
        }
    }

    public var description: String { host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)" }
}

/// A setting of the proxy that is not valid, naming the setting and how to fix it.
public struct ProxyConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The setting (CLI flag or config field) at fault.
    public var field: String
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var hint: String

    /// A new error.
    public init(field: String, message: String, hint: String) {
        self.field = field
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(field): \(message) (\(hint))" }
}

extension ProxyConfiguration {
    /// Checks every setting and returns all problems at once (empty when valid).
    public func problems() -> [ProxyConfigurationError] {
        var problems: [ProxyConfigurationError] = []
        func positive(_ value: Duration, _ field: String) {
            if value <= .zero {
                problems.append(.init(field: field, message: "must be longer than 0", hint: "give a duration like 2s or 500ms"))
            }
        }
        if !(0...65535).contains(listen.port) {
            problems.append(.init(field: "listen", message: "port \(listen.port) is out of range", hint: "use 0-65535"))
        }
        if let metricsListen, !(0...65535).contains(metricsListen.port) {
            problems.append(.init(field: "metrics-listen", message: "port \(metricsListen.port) is out of range", hint: "use 0-65535"))
        }
        if let metricsListen, metricsListen == listen, listen.port != 0 {
            problems.append(.init(field: "metrics-listen", message: "is the same address as listen", hint: "use a separate port for metrics"))
        }
        if backends.isEmpty {
            problems.append(.init(field: "backend", message: "no backend given", hint: "give at least one --backend http://HOST:PORT"))
        }
        if Set(backends).count != backends.count {
            problems.append(.init(field: "backend", message: "a backend is listed twice", hint: "list each backend once"))
        }
        if backends.count > 64 {
            problems.append(.init(field: "backend", message: "more than 64 backends", hint: "use at most 64 backends"))
        }
        for backend in backends where !(1...65535).contains(backend.port) {
            problems.append(.init(field: "backend", message: "port of \(backend) is out of range", hint: "use 1-65535"))
        }
        if !healthPath.hasPrefix("/") || healthPath.contains("?") || healthPath.contains(" ") {
            problems.append(.init(field: "health-path", message: "'\(healthPath)' is not an absolute path", hint: "use a path like /_gateway/health"))
        } else if S3BucketName.isValid(healthPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false).first ?? "") {
            problems.append(
                .init(
                    field: "health-path", message: "'\(healthPath)' could be an S3 bucket and would shadow it",
                    hint: "start it with a segment that is no valid bucket name, e.g. /_gateway/health"))
        }
        if !backendHealthPath.hasPrefix("/") || backendHealthPath.contains(" ") {
            problems.append(.init(field: "backend-health-path", message: "'\(backendHealthPath)' is not an absolute path", hint: "use the VersityGW --health path, e.g. /health"))
        }
        positive(healthInterval, "health-interval")
        positive(fastHealthInterval, "fast-health-interval")
        positive(healthTimeout, "health-timeout")
        positive(connectTimeout, "connect-timeout")
        positive(idleTimeout, "idle-timeout")
        positive(requestHeadTimeout, "request-head-timeout")
        positive(responseTimeout, "response-timeout")
        positive(longOperationTimeout, "long-operation-timeout")
        positive(bodyIdleTimeout, "body-idle-timeout")
        positive(expectContinueTimeout, "expect-continue-timeout")
        positive(backendIdleTimeout, "backend-idle-timeout")
        if drainPeriod < .zero {
            problems.append(.init(field: "drain", message: "must not be negative", hint: "give a duration like 10s, or 0s for none"))
        }
        if shutdownGracePeriod < .zero {
            problems.append(.init(field: "shutdown-grace-period", message: "must not be negative", hint: "give a duration like 30s"))
        }
        if slowStart < .zero {
            problems.append(.init(field: "slow-start", message: "must not be negative", hint: "give a duration like 10s, or 0s for none"))
        }
        if rise < 1 { problems.append(.init(field: "rise", message: "must be at least 1", hint: "e.g. 2")) }
        if fall < 1 { problems.append(.init(field: "fall", message: "must be at least 1", hint: "e.g. 3")) }
        if maxConnections < 1 { problems.append(.init(field: "max-connections", message: "must be at least 1", hint: "e.g. 10000")) }
        if minimumHealthyBackends < 0 || minimumHealthyBackends > max(backends.count, 1) {
            problems.append(.init(field: "minimum-healthy-backends", message: "must be between 0 and the number of backends", hint: "e.g. 1"))
        }
        if maxHeadBytes < 1024 || maxHeadBytes > 1 << 20 {
            problems.append(.init(field: "max-head-bytes", message: "must be between 1 KiB and 1 MiB", hint: "e.g. 32768"))
        }
        if retryBufferBytes < 0 || retryBufferBytes > 16 << 20 {
            problems.append(.init(field: "retry-buffer-bytes", message: "must be between 0 and 16 MiB", hint: "e.g. 65536"))
        }
        if maxAttempts < 1 || maxAttempts > 10 {
            problems.append(.init(field: "max-attempts", message: "must be between 1 and 10", hint: "e.g. 3"))
        }
        if let threads, threads < 1 || threads > 256 {
            problems.append(.init(field: "threads", message: "must be between 1 and 256", hint: "leave it unset for one per core"))
        }
        if maxIdleConnectionsPerBackend < 0 {
            problems.append(.init(field: "max-idle-connections", message: "must not be negative", hint: "e.g. 256"))
        }
        if case .file(let path)? = accessLog, path.isEmpty {
            problems.append(.init(field: "access-log", message: "empty path", hint: "give a file path or - for standard output"))
        }
        return problems
    }

    /// Throws the first problem, if any (see ``problems()`` for all of them).
    public func validate() throws(ProxyConfigurationError) {
        if let first = problems().first { throw first }
    }
}

/// S3 bucket naming rules, used to keep the proxy's own paths out of the bucket namespace.
enum S3BucketName {
    /// True when `name` is a valid (strict) S3 bucket name: 3-63 of `a-z 0-9 . -`, starting and ending
    /// with a letter or digit.
    static func isValid(_ name: Substring) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        guard alnum(bytes.first!), alnum(bytes.last!) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == 0x2E || $0 == 0x2D }
    }
}
