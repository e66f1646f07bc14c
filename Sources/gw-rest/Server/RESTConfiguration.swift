import Foundation

/// Everything the server needs to start, assembled by the command line front (or by tests).
struct RESTConfiguration: Sendable {
    /// A configuration that must not be served.
    struct Refusal: Error, CustomStringConvertible, Sendable {
        let description: String
    }

    /// Where to listen.
    var listen: ListenAddress = .default
    /// The directory holding one workspace per deployment.
    var workspaceRoot: String
    /// The accepted bearer tokens.
    var tokens: BearerTokens
    /// Origins (`scheme://host[:port]`) allowed to call the API from a browser.
    var corsOrigins: [String] = []
    /// The largest request body accepted, in bytes.
    var maximumBodyBytes: Int = 1 << 20
    /// On SIGTERM, how long runs in progress may continue before they are canceled.
    var shutdownDeadline: Duration = .seconds(120)
    /// The environment `env:` secret references are checked against (the server's own).
    var environment: [String: String] = ProcessInfo.processInfo.environment
    /// The certificate and key served over TLS; `nil` serves plain HTTP.
    var tls: TLSIdentityStore?
    /// Whether plain HTTP may be served on a non-loopback address (bearer tokens then cross the
    /// network in clear text); refused unless set.
    var allowsPlainHTTPBeyondLoopback = false

    /// Whether this configuration serves plain HTTP to other machines (allowed, with a warning, only
    /// when ``allowsPlainHTTPBeyondLoopback`` is set).
    var servesPlainHTTPBeyondLoopback: Bool { tls == nil && !listen.isLoopback }

    /// Refuses configurations that would expose the API: no token at all, a token-less listener on a
    /// non-loopback address, or plain HTTP on a non-loopback address unless explicitly allowed; origins that are not plain `http(s)://host[:port]` origins (no `*`, no path).
    func check() throws(Refusal) {
        if tokens.isEmpty {
            if listen.isLoopback {
                throw Refusal(description: "no bearer token is configured; give --token-file FILE or GW_REST_TOKEN")
            }
            throw Refusal(description: "refusing to listen on \(listen) (not a loopback address) without a bearer token; give --token-file FILE or GW_REST_TOKEN, or listen on 127.0.0.1")
        }
        if servesPlainHTTPBeyondLoopback, !allowsPlainHTTPBeyondLoopback {
            throw Refusal(
                description:
                    "refusing to serve plain HTTP on \(listen) (not a loopback address): bearer tokens would cross the network in clear text; give --tls-certificate FILE and --tls-key FILE, or listen on 127.0.0.1 (behind a TLS proxy), or accept the risk with --insecure-plain-http-beyond-loopback"
            )
        }
        for origin in corsOrigins {
            guard Self.isOrigin(origin) else {
                throw Refusal(description: "--cors-origin \(origin): give an exact origin such as https://portal.example.com (scheme, host and optional port; no wildcard, path or trailing slash)")
            }
        }
        guard maximumBodyBytes >= 1024 else {
            throw Refusal(description: "--max-body-bytes \(maximumBodyBytes): give at least 1024")
        }
    }

    /// Whether text is a serialized origin: `http` or `https`, a host, an optional port, nothing else.
    static func isOrigin(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme, ["http", "https"].contains(scheme),
            let host = components.host, !host.isEmpty, !host.contains("*"),
            components.path.isEmpty, components.query == nil, components.fragment == nil, components.user == nil
        else { return false }
        if let port = components.port, !(1...65535).contains(port) { return false }
        return text == "\(scheme)://\(components.percentEncodedHost ?? host)" + (components.port.map { ":\($0)" } ?? "")
    }
}
