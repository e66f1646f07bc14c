/// A request that got no HTTP response: the connection failed, timed out, was cancelled or broke.
/// The message names the endpoint's host, never a header, query or body.
public struct AWSTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public enum Kind: String, Sendable, Equatable {
        case connectionFailed, timedOut, cancelled, tls, responseTooLarge, other
    }

    public let kind: Kind
    /// The host the request went to.
    public let host: String
    /// libcurl's explanation.
    public let message: String

    public init(kind: Kind, host: String, message: String) {
        self.kind = kind
        self.host = host
        self.message = message
    }

    /// Whether another attempt may succeed (connection failures and timeouts).
    public var isRetryable: Bool { kind == .connectionFailed || kind == .timedOut || kind == .other }

    public var description: String { "request to \(host) failed (\(kind.rawValue)): \(message)" }
}
