import Foundation

/// The EC2 instance metadata service, IMDSv2 only: every read carries a session token obtained with
/// `PUT /latest/api/token`; the token is reused until shortly before its TTL ends, and fetched again when
/// the service answers 401. No request is ever made without a token.
public actor InstanceMetadataClient {
    /// Where the service listens: `AWS_EC2_METADATA_SERVICE_ENDPOINT`, else `http://169.254.169.254`.
    public let endpoint: AWSEndpoint
    private let http: CurlHTTPClient
    private let tokenTTL: Int
    private let timeouts: CurlHTTPClient.Timeouts
    private var token: (value: String, expires: Date)?

    public init(
        endpoint: AWSEndpoint = AWSEndpoint(scheme: "http", host: "169.254.169.254"), http: CurlHTTPClient = .shared,
        tokenTTLSeconds: Int = 21_600, timeouts: CurlHTTPClient.Timeouts = .init(connect: .seconds(1), total: .seconds(3))
    ) {
        self.endpoint = endpoint
        self.http = http
        tokenTTL = tokenTTLSeconds
        self.timeouts = timeouts
    }

    /// A client for the endpoint named in `environment` (or the link-local default).
    public init(environment: AWSEnvironment, http: CurlHTTPClient = .shared) throws {
        var endpoint = AWSEndpoint(scheme: "http", host: "169.254.169.254")
        if let value = AWSEnvironment.nonEmpty(environment.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"]) {
            guard let parsed = AWSEndpoint(url: value) else {
                throw AWSConfigurationError(
                    message: "AWS_EC2_METADATA_SERVICE_ENDPOINT is not an http URL: \(value)",
                    hint: "set it to a URL like http://169.254.169.254 or unset it")
            }
            endpoint = parsed
        }
        self.init(endpoint: endpoint, http: http)
    }

    /// Reads a metadata path such as `/latest/meta-data/instance-id`.
    public func get(_ path: String) async throws -> String {
        for attempt in 0..<2 {
            let token = try await currentToken(forceRefresh: attempt > 0)
            let request = AWSHTTPRequest(
                method: "GET", endpoint: endpoint, path: path,
                headers: [("Host", endpoint.hostHeader), ("X-aws-ec2-metadata-token", token)])
            let response = try await http.send(request, timeouts: timeouts)
            if response.status == 401 { continue }  // token expired or revoked: fetch a new one once
            guard response.status == 200 else {
                throw AWSCredentialsError(
                    notConfigured: response.status == 404,
                    message: "instance metadata \(path) answered HTTP \(response.status)")
            }
            return String(decoding: response.body, as: UTF8.self)
        }
        throw AWSCredentialsError(notConfigured: false, message: "instance metadata refused a fresh token (HTTP 401)")
    }

    /// The instance's region (`placement/region`).
    public func region() async throws -> String {
        try await get("/latest/meta-data/placement/region").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The instance id.
    public func instanceID() async throws -> String {
        try await get("/latest/meta-data/instance-id").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func currentToken(forceRefresh: Bool) async throws -> String {
        if !forceRefresh, let token, token.expires.timeIntervalSinceNow > 60 { return token.value }
        let request = AWSHTTPRequest(
            method: "PUT", endpoint: endpoint, path: "/latest/api/token",
            headers: [("Host", endpoint.hostHeader), ("X-aws-ec2-metadata-token-ttl-seconds", String(tokenTTL))])
        let response: AWSHTTPResponse
        do {
            response = try await http.send(request, timeouts: timeouts)
        } catch let error as AWSTransportError {
            throw AWSCredentialsError(
                notConfigured: error.kind == .connectionFailed || error.kind == .timedOut,
                message: "instance metadata at \(endpoint) is not reachable: \(error.message)")
        }
        guard response.status == 200, !response.body.isEmpty else {
            throw AWSCredentialsError(
                notConfigured: false, message: "instance metadata token request answered HTTP \(response.status)")
        }
        let value = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        token = (value, Date().addingTimeInterval(TimeInterval(tokenTTL)))
        return value
    }
}
