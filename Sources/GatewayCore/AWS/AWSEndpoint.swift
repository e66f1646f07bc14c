import Foundation

/// Where requests for one service go: scheme, host and port (and an optional base path of an override URL).
public struct AWSEndpoint: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// `https` or `http`.
    public let scheme: String
    /// Host name or IP address (IPv6 without brackets).
    public let host: String
    /// Explicit port, or `nil` for the scheme's default.
    public let port: Int?
    /// Base path from an override URL, without a trailing slash (usually empty).
    public let basePath: String

    public init(scheme: String, host: String, port: Int? = nil, basePath: String = "") {
        self.scheme = scheme.lowercased()
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// Parses `http(s)://host[:port][/path]`; returns `nil` for anything else.
    public init?(url: String) {
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = trimmed.range(of: "://") else { return nil }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { return nil }
        var rest = trimmed[schemeEnd.upperBound...]
        var basePath = ""
        if let slash = rest.firstIndex(of: "/") {
            basePath = String(rest[slash...])
            rest = rest[..<slash]
        }
        while basePath.hasSuffix("/") { basePath.removeLast() }
        guard !rest.isEmpty, !rest.contains("@"), !basePath.contains("?"), !basePath.contains("#") else { return nil }
        var host = String(rest)
        var port: Int?
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else { return nil }
            let after = host[host.index(after: close)...]
            if after.hasPrefix(":") {
                guard let value = Int(after.dropFirst()), (1...65535).contains(value) else { return nil }
                port = value
            } else if !after.isEmpty {
                return nil
            }
            host = String(host[host.index(after: host.startIndex)..<close])
        } else if let colon = host.lastIndex(of: ":") {
            guard let value = Int(host[host.index(after: colon)...]), (1...65535).contains(value) else { return nil }
            port = value
            host = String(host[..<colon])
        }
        guard !host.isEmpty else { return nil }
        self.init(scheme: scheme, host: host, port: port, basePath: basePath)
    }

    private var defaultPort: Int { scheme == "https" ? 443 : 80 }

    /// The `Host` header value: the host, plus the port when it is not the scheme's default.
    public var hostHeader: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        if let port, port != defaultPort { return "\(shownHost):\(port)" }
        return shownHost
    }

    /// `scheme://host[:port]` followed by the base path.
    public var baseURL: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let portText = port.map { ":\($0)" } ?? ""
        return "\(scheme)://\(shownHost)\(portText)\(basePath)"
    }

    public var description: String { baseURL }
}
