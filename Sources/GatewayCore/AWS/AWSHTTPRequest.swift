/// An HTTP request to an AWS endpoint, before and after signing.
public struct AWSHTTPRequest: Sendable, Equatable {
    /// HTTP method, e.g. `POST`.
    public var method: String
    /// The endpoint the request goes to.
    public var endpoint: AWSEndpoint
    /// The decoded request path, e.g. `/`.
    public var path: String
    /// Decoded query parameters, in the order given (signing sorts them).
    public var query: [(name: String, value: String)]
    /// Header fields in the order given; names compare case-insensitively.
    public var headers: [(name: String, value: String)]
    /// The request body.
    public var body: [UInt8]

    public init(
        method: String, endpoint: AWSEndpoint, path: String = "/", query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) {
        self.method = method
        self.endpoint = endpoint
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// Replaces every value of header `name` (case-insensitive) with `value`.
    public mutating func setHeader(_ name: String, _ value: String) {
        removeHeader(name)
        headers.append((name, value))
    }

    /// Removes header `name` (case-insensitive).
    public mutating func removeHeader(_ name: String) {
        let lowered = name.lowercased()
        headers.removeAll { $0.name.lowercased() == lowered }
    }

    /// The full URL with the query string percent-encoded as it is signed.
    public var url: String {
        var text = endpoint.baseURL + AWSPercentEncoding.encodePath(path)
        if !query.isEmpty {
            text +=
                "?"
                + query.map {
                    AWSPercentEncoding.encode($0.name) + "=" + AWSPercentEncoding.encode($0.value)
                }.joined(separator: "&")
        }
        return text
    }

    public static func == (lhs: AWSHTTPRequest, rhs: AWSHTTPRequest) -> Bool {
        lhs.method == rhs.method && lhs.endpoint == rhs.endpoint && lhs.path == rhs.path
            && lhs.query.elementsEqual(rhs.query, by: { $0 == $1 })
            && lhs.headers.elementsEqual(rhs.headers, by: { $0 == $1 }) && lhs.body == rhs.body
    }
}
