import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import GatewayREST

@Suite("Authentication, headers, CORS, limits")
struct SecurityTests {
    typealias Support = RESTTestSupport

    @Test("/healthz answers without a token, with the security headers")
    func healthWithoutToken() async throws {
        try await Support.withRouterClient { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
                let body = try Support.json(response)
                #expect(body["status"] as? String == "ok")
                Support.expectSecurityHeaders(response)
            }
        }
    }

    @Test(
        "Every other route needs a valid bearer token",
        arguments: [
            ("/openapi.json", HTTPRequest.Method.get),
            ("/v1/validate", .post),
            ("/v1/no-such-route", .get),
        ])
    func routesNeedToken(path: String, method: HTTPRequest.Method) async throws {
        try await Support.withRouterClient { client in
            let cases: [HTTPFields] = [
                [:],
                [.authorization: "Bearer wrong-token-0123456789abcdef"],
                [.authorization: "Basic dXNlcjpwYXNz"],
                [.authorization: "Bearer"],
                [.authorization: "Bearer \(Support.token) extra"],
                [.authorization: "Bearer \(Support.token.dropLast())"],
            ]
            for headers in cases {
                try await client.execute(uri: path, method: method, headers: headers) { response in
                    try Support.expectProblem(response, "unauthorized", status: .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == #"Bearer realm="gw-rest""#)
                }
            }
            // The scheme is case-insensitive (RFC 7235).
            try await client.execute(uri: "/openapi.json", method: .get, headers: [.authorization: "bearer \(Support.token)"]) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test("Unknown paths are 404 and known paths with another method are 405 with Allow")
    func notFoundAndMethodNotAllowed() async throws {
        try await Support.withRouterClient { client in
            try await client.execute(uri: "/v1/nothing-here", method: .get, headers: Support.authorization) { response in
                try Support.expectProblem(response, "not-found", status: .notFound)
            }
            try await client.execute(uri: "/v1/validate", method: .delete, headers: Support.authorization) { response in
                let body = try Support.expectProblem(response, "method-not-allowed", status: .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                #expect(body["allowedMethods"] as? [String] == ["POST"])
            }
        }
    }

    @Test("A body whose declared length is over the limit is refused with 413 before it is read")
    func bodyLimit() async throws {
        try await Support.withRouterClient(maximumBodyBytes: 2048) { client in
            let big = String(repeating: "# padding\n", count: 300)
            var headers = Support.authorization
            headers[.contentType] = "application/yaml"
            try await client.execute(uri: "/v1/validate", method: .post, headers: headers, body: Support.buffer(big)) { response in
                let body = try Support.expectProblem(response, "content-too-large", status: .contentTooLarge)
                #expect((body["detail"] as? String)?.contains("2048") == true)
            }
            // Unauthenticated oversize bodies are refused as unauthenticated first.
            try await client.execute(uri: "/v1/validate", method: .post, headers: [.contentType: "application/yaml"], body: Support.buffer(big)) { response in
                try Support.expectProblem(response, "unauthorized", status: .unauthorized)
            }
        }
    }

    @Test("Over a real socket: a chunked body over the limit is 413 and the connection is closed")
    func chunkedBodyLimit() async throws {
        let server = try await LiveServer.start(bundle: TerraformTestProject().bundle, environment: [:])
        do {
            let big = String(repeating: "# padding line of a config that is far too large\n", count: 30_000)
            let response = try await Curl.request("POST", "\(server.baseURL)/v1/validate", contentType: "application/yaml", body: big, headers: ["Transfer-Encoding": "chunked"])
            #expect(response.status == 413)
            #expect(response.headers["content-type"] == "application/problem+json")
            #expect(response.headers["connection"] == "close")
            #expect(try response.json()["type"] as? String == "urn:gateway:problem:content-too-large")
            let declared = try await Curl.request("POST", "\(server.baseURL)/v1/validate", contentType: "application/yaml", body: big)
            #expect(declared.status == 413)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("CORS headers only for listed origins; preflight answered before authentication")
    func corsAllowlist() async throws {
        let allowed = "https://portal.example.com"
        try await Support.withRouterClient(corsOrigins: [allowed]) { client in
            var headers = Support.authorization
            headers[.origin] = allowed
            try await client.execute(uri: "/openapi.json", method: .get, headers: headers) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.accessControlAllowOrigin] == allowed)
                #expect(response.headers[.vary] == "Origin")
                #expect(response.headers[.accessControlAllowCredentials] == nil)
            }
            headers[.origin] = "https://evil.example.net"
            try await client.execute(uri: "/openapi.json", method: .get, headers: headers) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            try await client.execute(uri: "/v1/validate", method: .options, headers: [.origin: allowed, .accessControlRequestMethod: "POST"]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == allowed)
                #expect(response.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
                Support.expectSecurityHeaders(response)
            }
            try await client.execute(uri: "/v1/validate", method: .options, headers: [.origin: "https://evil.example.net", .accessControlRequestMethod: "POST"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                try Support.expectProblem(response, "unauthorized", status: .unauthorized)
            }
        }
    }

    @Test("Unsafe configurations are refused")
    func unsafeConfigurations() async throws {
        let tokens = try BearerTokens.parse(environmentValue: Support.token, variable: "test")
        var configuration = RESTConfiguration(listen: ListenAddress(host: "0.0.0.0", port: 8080), workspaceRoot: "/tmp/x", tokens: BearerTokens(digests: []))
        #expect(throws: RESTConfiguration.Refusal.self) { try configuration.check() }
        configuration.tokens = tokens
        // Plain HTTP beyond loopback: refused, naming TLS and the explicit flag as the ways out.
        do {
            try configuration.check()
            Issue.record("plain HTTP on 0.0.0.0 was accepted")
        } catch {
            for text in ["plain HTTP", "0.0.0.0:8080", "--tls-certificate", "--insecure-plain-http-beyond-loopback"] {
                #expect(error.description.contains(text), "\(error.description)")
            }
        }
        configuration.allowsPlainHTTPBeyondLoopback = true
        #expect(configuration.servesPlainHTTPBeyondLoopback)
        #expect(throws: Never.self) { try configuration.check() }
        // With TLS the flag is not needed; on loopback plain HTTP is the default.
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let identity = try await TLSTooling.selfSigned(in: directory, name: "server")
        var secured = configuration
        secured.allowsPlainHTTPBeyondLoopback = false
        secured.tls = try TLSIdentityStore(certificatePath: identity.certificate.path, keyPath: identity.key.path)
        #expect(!secured.servesPlainHTTPBeyondLoopback)
        #expect(throws: Never.self) { try secured.check() }
        var loopback = secured
        loopback.tls = nil
        loopback.listen = ListenAddress(host: "127.0.0.1", port: 8080)
        #expect(throws: Never.self) { try loopback.check() }
        for origin in ["*", "https://portal.example.com/", "https://*.example.com", "ftp://example.com", "https://example.com/path", "example.com"] {
            configuration.corsOrigins = [origin]
            #expect(throws: RESTConfiguration.Refusal.self, "\(origin)") { try configuration.check() }
        }
        configuration.corsOrigins = ["https://portal.example.com", "http://localhost:3000"]
        #expect(throws: Never.self) { try configuration.check() }
    }

    @Test("Listen addresses: parsing and loopback detection")
    func listenAddresses() {
        #expect(ListenAddress(parsing: "127.0.0.1:8080") == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(ListenAddress(parsing: "[::1]:9000") == ListenAddress(host: "::1", port: 9000))
        for bad in ["", "8080", "host:", ":80", "host:99999", "host:-1", "::1:80", "[::1]80", "h:8a"] {
            #expect(ListenAddress(parsing: bad) == nil, "\(bad)")
        }
        #expect(ListenAddress(host: "127.0.0.2", port: 1).isLoopback)
        #expect(ListenAddress(host: "localhost", port: 1).isLoopback)
        #expect(ListenAddress(host: "::1", port: 1).isLoopback)
        #expect(!ListenAddress(host: "0.0.0.0", port: 1).isLoopback)
        #expect(!ListenAddress(host: "10.0.0.1", port: 1).isLoopback)
        #expect(!ListenAddress(host: "127.example.com", port: 1).isLoopback)
    }

    @Test("Token files: comments and blank lines skipped, weak tokens refused by line without quoting them")
    func tokenFiles() throws {
        let tokens = try BearerTokens.parse(fileText: "# portal\n\n  first-token-0123456789  \r\nsecond-token-abcdefghij\n", file: "tokens")
        #expect(tokens.count == 2)
        #expect(tokens.authenticate("first-token-0123456789") != nil)
        #expect(tokens.authenticate("second-token-abcdefghij") != nil)
        #expect(tokens.authenticate("first-token-012345678") == nil)
        #expect(tokens.authenticate("") == nil)
        do {
            _ = try BearerTokens.parse(fileText: "good-token-0123456789\nshort\n", file: "tokens")
            Issue.record("a short token was accepted")
        } catch {
            #expect(error.description.hasPrefix("tokens:2:"))
            #expect(!error.description.contains("short\n"))
        }
        #expect(throws: BearerTokens.LoadError.self) { try BearerTokens.parse(fileText: "token with spaces 0123456789\n", file: "t") }
        #expect(TokenDigest(of: "abc").shortID == "ba7816bf")
    }
}
