import Foundation
import GatewayProvision
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import GatewayREST

/// Shared helpers for the REST tests: a configured application, tokens, and checks of problem bodies.
enum RESTTestSupport {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The token every test server accepts.
    static let token = "test-token-0123456789abcdef"
    static let authorization: HTTPFields = [.authorization: "Bearer \(token)"]

    /// A fresh temporary directory; the caller removes it.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gw-rest-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A configuration for tests: loopback, port 0, the test token, a workspace root under `root`.
    static func configuration(root: URL, corsOrigins: [String] = [], maximumBodyBytes: Int = 1 << 20) throws -> RESTConfiguration {
        var configuration = RESTConfiguration(
            listen: ListenAddress(host: "127.0.0.1", port: 0),
            workspaceRoot: root.path,
            tokens: try BearerTokens.parse(environmentValue: token, variable: "test"),
            corsOrigins: corsOrigins,
            maximumBodyBytes: maximumBodyBytes
        )
        configuration.environment = [:]
        return configuration
    }

    /// Builds an application on a fresh workspace root, runs `body` with the router test client, and
    /// removes the root afterwards.
    static func withRouterClient<Value>(
        corsOrigins: [String] = [],
        maximumBodyBytes: Int = 1 << 20,
        _ body: @Sendable (any TestClientProtocol) async throws -> Value
    ) async throws -> Value {
        try await withRouterClient(corsOrigins: corsOrigins, maximumBodyBytes: maximumBodyBytes) { client, _ in try await body(client) }
    }

    /// Like ``withRouterClient(corsOrigins:maximumBodyBytes:_:)``, also passing the workspace root.
    static func withRouterClient<Value>(
        corsOrigins: [String] = [],
        maximumBodyBytes: Int = 1 << 20,
        _ body: @Sendable (any TestClientProtocol, WorkspaceRoot) async throws -> Value
    ) async throws -> Value {
        let root = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let app = try await buildApplication(try configuration(root: root, corsOrigins: corsOrigins, maximumBodyBytes: maximumBodyBytes), logger: Logger(label: "test"))
        let workspaceRoot = WorkspaceRoot(url: root)
        return try await app.test(.router) { client in try await body(client, workspaceRoot) }
    }

    /// Headers with the token and a content type.
    static func headers(_ contentType: String) -> HTTPFields {
        var headers = authorization
        headers[.contentType] = contentType
        return headers
    }

    /// A body buffer from text.
    static func buffer(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    /// Decodes a JSON object body.
    static func json(_ response: TestResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
        return try #require(object as? [String: Any])
    }

    /// Checks that a response is an RFC 9457 problem of the given kind and returns its body.
    @discardableResult
    static func expectProblem(_ response: TestResponse, _ kind: String, status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        let body = try json(response)
        #expect(body["type"] as? String == "urn:gateway:problem:\(kind)", sourceLocation: sourceLocation)
        #expect(body["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        #expect((body["title"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect((body["detail"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        let text = String(buffer: response.body)
        for leak in ["Error(", "Swift.", ".swift:", "DecodingError", "Stack", "NIO"] {
            #expect(!text.contains(leak), "problem body leaks internals: \(text)", sourceLocation: sourceLocation)
        }
        expectSecurityHeaders(response, sourceLocation: sourceLocation)
        return body
    }

    /// Checks the headers every response carries.
    static func expectSecurityHeaders(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.headers[.xContentTypeOptions] == "nosniff", sourceLocation: sourceLocation)
        #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY", sourceLocation: sourceLocation)
        #expect(response.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true, sourceLocation: sourceLocation)
        #expect(response.headers[.cacheControl] == "no-store", sourceLocation: sourceLocation)
    }

    /// A valid config (references only), with a given project name and environment.
    static func validYAML(name: String = "s3-gateway", environment: String = "prod") -> String {
        """
        project: {name: \(name), environment: \(environment), region: us-east-1}
        compute: {amiId: ami-0123456789abcdef0}
        dns: {zoneName: example.com}
        filespaces:
          - {name: mycompany.dmpfs, user: gateway@example.com, password: "env:LL_PASSWORD"}
        gateway: {rootAccessKey: "env:S3_KEY", rootSecretKey: "env:S3_SECRET", sha256: 4b5d3f0c2a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29180f7e6d5c4b3a2918}
        image: {lucidLinkVersion: 3.2.6817, lucidLinkSha256: 9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0}
        """
    }
}
