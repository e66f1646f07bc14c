import Foundation
import Testing

@testable import GatewayCore

/// Retries with jittered backoff, timeouts, connection failures and cancellation of the AWS client.
@Suite("AWS client retries, timeouts and cancellation")
struct AWSClientBehaviourTests {
    static func configuration(endpoint: String, retry: AWSRetryPolicy, http: CurlHTTPClient = .shared) -> AWSConfiguration {
        AWSConfiguration(
            region: "eu-west-1",
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: "AKIDTEST", secretAccessKey: "retry-test-secret")),
            environment: AWSEnvironment(variables: ["HOME": "/nonexistent-gateway-test-home", "AWS_ENDPOINT_URL_STS": endpoint]),
            http: http, retry: retry)
    }

    @Test("throttling and 503 answers are retried with backoff until success")
    func retriesUntilSuccess() async throws {
        let server = try await FixtureServer.start(
            script: "fake_aws_http_server.py", module: "json", arguments: ["--throttle", "2", "--unavailable", "1"])
        defer { server.stop() }
        let sts = try STSClient(
            configuration: Self.configuration(
                endpoint: server.url + "/throttled", retry: AWSRetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(40))))
        let identity = try await sts.getCallerIdentity()
        #expect(identity.arn == "arn:aws:sts::123456789012:assumed-role/fake/node")
        let stats = try await InstanceMetadataCredentialTests.stats(server)
        let times = try #require(stats["postTimes"] as? [Double])
        #expect(times.count == 4)
    }

    @Test("when retries run out the last AWS error is thrown with its code and request id")
    func retriesExhausted() async throws {
        let server = try await FixtureServer.start(script: "fake_aws_http_server.py", module: "json", arguments: ["--throttle", "5"])
        defer { server.stop() }
        let sts = try STSClient(
            configuration: Self.configuration(
                endpoint: server.url + "/throttled", retry: AWSRetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10))))
        let error = await #expect(throws: AWSError.self) { _ = try await sts.getCallerIdentity() }
        #expect(error?.code == "Throttling" && error?.message == "Rate exceeded" && error?.requestID == "throttle-3")
        #expect(error?.isThrottling == true && error?.httpStatus == 400)
        #expect(!"\(String(describing: error))".contains("retry-test-secret"))
    }

    @Test("the backoff is fully jittered, exponential and capped")
    func backoff() {
        let policy = AWSRetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .milliseconds(300))
        #expect(policy.delay(beforeRetry: 1, random: 1) == .milliseconds(100))
        #expect(policy.delay(beforeRetry: 2, random: 1) == .milliseconds(200))
        #expect(policy.delay(beforeRetry: 3, random: 1) == .milliseconds(300))
        #expect(policy.delay(beforeRetry: 9, random: 0.5) == .milliseconds(150))
        #expect(policy.delay(beforeRetry: 1, random: 0) == .zero)
        let samples = Set((0..<50).map { _ in policy.delay(beforeRetry: 2) })
        #expect(samples.count > 10 && samples.allSatisfy { $0 <= .milliseconds(200) })
        #expect(AWSRetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }

    /// A TCP socket on 127.0.0.1 that accepts connections (via the backlog) but never answers.
    final class SilentListener {
        let descriptor: Int32
        let port: Int

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
            }
            guard bound == 0, listen(fd, 16) == 0 else {
                close(fd)
                throw AWSTestTools.ToolMissing(message: "cannot listen on 127.0.0.1")
            }
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            descriptor = fd
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        deinit { close(descriptor) }
    }

    @Test("a silent endpoint times out; a closed port fails to connect; both name the host only")
    func timeoutsAndConnectionFailures() async throws {
        let listener = try SilentListener()
        let http = CurlHTTPClient(timeouts: .init(connect: .milliseconds(500), total: .milliseconds(400)))
        let silent = try STSClient(
            configuration: Self.configuration(
                endpoint: "http://127.0.0.1:\(listener.port)", retry: .none, http: http))
        let timeout = await #expect(throws: AWSTransportError.self) { _ = try await silent.getCallerIdentity() }
        #expect(timeout?.kind == .timedOut && timeout?.host == "127.0.0.1")

        let closedPort: Int = try {
            let probe = try SilentListener()
            return probe.port
        }()
        let refused = try STSClient(
            configuration: Self.configuration(
                endpoint: "http://127.0.0.1:\(closedPort)", retry: AWSRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5)), http: http))
        let failure = await #expect(throws: AWSTransportError.self) { _ = try await refused.getCallerIdentity() }
        #expect(failure?.kind == .connectionFailed)
        #expect(!"\(String(describing: failure))".contains("retry-test-secret"))
    }

    /// The endpoint never answers and the time limit is 30 s: only an aborted transfer ends in CancellationError
    /// (a transfer left running would end in a timeout error).
    @Test("cancelling the calling task aborts the transfer")
    func cancellation() async throws {
        let listener = try SilentListener()
        let http = CurlHTTPClient(timeouts: .init(connect: .seconds(30), total: .seconds(30)))
        let sts = try STSClient(
            configuration: Self.configuration(
                endpoint: "http://127.0.0.1:\(listener.port)", retry: .none, http: http))
        let task = Task { try await sts.getCallerIdentity() }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
    }
}
