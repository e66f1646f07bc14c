/// An HTTP response from an AWS endpoint: status, header fields and the (bounded) body.
public struct AWSHTTPResponse: Sendable {
    /// HTTP status code.
    public let status: Int
    /// Header fields in the order received.
    public let headers: [(name: String, value: String)]
    /// The response body.
    public let body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }
}
