import Foundation
import Synchronization
import Testing

@testable import GatewayCore

/// IMDSv2 against a local fake metadata service: token first, credentials refreshed before they expire.
@Suite("Instance role credentials over IMDSv2")
struct InstanceMetadataCredentialTests {
    static func stats(_ server: FixtureServer) async throws -> [String: Any] {
        let endpoint = AWSEndpoint(url: server.url)!
        let response = try await CurlHTTPClient.shared.send(
            AWSHTTPRequest(method: "GET", endpoint: endpoint, path: "/_fake/stats", headers: [("Host", endpoint.hostHeader)]))
        return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test("credentials are cached, refreshed before expiry, and never requested without a token")
    func refreshBeforeExpiry() async throws {
        let server = try await FixtureServer.start(script: "fake_aws_http_server.py", module: "json", arguments: ["--credential-ttl", "20"])
        defer { server.stop() }
        let metadata = InstanceMetadataClient(endpoint: AWSEndpoint(url: server.url)!)
        // The provider's clock is the test's: real time until the test moves it (no sleeping, so a loaded
        // machine cannot make the check late).
        let clock = TestClock()
        let provider = InstanceRoleCredentialProvider(metadata: metadata, refreshMargin: 10) { clock.now }

        let first = try await provider.credentials()
        #expect(first.accessKeyID == "ASIAFAKE0001")
        #expect(first.sessionToken?.hasPrefix("fake-session-token-1") == true)
        #expect(first.source == "instance role gateway-node-role")
        let expiration = try #require(first.expiration)
        // Valid for 20 s, replaced 10 s before expiry: outside that margin they are served from the cache.
        #expect(expiration.timeIntervalSinceNow <= 21)
        clock.set(expiration.addingTimeInterval(-15))

        // Many concurrent callers while valid: one fetch in total.
        try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 { group.addTask { try await provider.credentials().accessKeyID } }
            for try await key in group { #expect(key == "ASIAFAKE0001") }
        }
        #expect(try await Self.stats(server)["credentialFetches"] as? Int == 1)

        // Inside the refresh margin (expiry - 10 s) but well before expiry: new credentials, fetched once.
        clock.set(expiration.addingTimeInterval(-5))
        let second = try await provider.credentials()
        #expect(second.accessKeyID == "ASIAFAKE0002")
        #expect(second.secretAccessKey != first.secretAccessKey)

        let stats = try await Self.stats(server)
        #expect(stats["credentialFetches"] as? Int == 2)
        #expect(stats["getsWithoutToken"] as? Int == 0)
        #expect(stats["unauthorized"] as? Int == 0)
        #expect(stats["tokens"] as? Int == 1)  // the session token is reused

        #expect(try await metadata.region() == "eu-west-1")
        #expect(try await metadata.instanceID() == "i-0fake00000000001")
        #expect(!"\(second)".contains(second.secretAccessKey))
    }

    /// A settable clock.
    final class TestClock: Sendable {
        private let value = Mutex<Date?>(nil)
        var now: Date { value.withLock { $0 } ?? Date() }
        func set(_ date: Date) { value.withLock { $0 = date } }
    }

    @Test("an expired metadata token is replaced after one 401, and no read goes out without a token")
    func expiredToken() async throws {
        let server = try await FixtureServer.start(script: "fake_aws_http_server.py", module: "json")
        defer { server.stop() }
        let endpoint = AWSEndpoint(url: server.url)!
        let metadata = InstanceMetadataClient(endpoint: endpoint)
        #expect(try await metadata.instanceID() == "i-0fake00000000001")
        let revoke = try await CurlHTTPClient.shared.send(
            AWSHTTPRequest(method: "POST", endpoint: endpoint, path: "/_fake/revoke-tokens", headers: [("Host", endpoint.hostHeader)]))
        #expect(revoke.status == 200)
        #expect(try await metadata.region() == "eu-west-1")
        let stats = try await Self.stats(server)
        #expect(stats["tokens"] as? Int == 2)
        #expect(stats["unauthorized"] as? Int == 1)
        #expect(stats["getsWithoutToken"] as? Int == 0)
    }

    @Test("the default chain falls through to the instance role and signs real calls with it")
    func chainUsesInstanceRole() async throws {
        let server = try await FixtureServer.start(script: "fake_aws_http_server.py", module: "json")
        defer { server.stop() }
        let environment = AWSEnvironment(
            variables: [
                "HOME": "/nonexistent-gateway-test-home", "AWS_EC2_METADATA_SERVICE_ENDPOINT": server.url,
                "AWS_REGION": "eu-west-1",
            ])
        let chain = try DefaultCredentialChain(environment: environment)
        let credentials = try await chain.credentials()
        #expect(credentials.accessKeyID == "ASIAFAKE0001" && credentials.source.hasPrefix("instance role"))
    }
}
