import Foundation
import Testing

@testable import GatewayCore

/// Environment variables, shared files with profiles, region and endpoint resolution.
@Suite("AWS environment and credential chain")
struct CredentialChainTests {
    static func withFiles(_ credentials: String, _ config: String, body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gw-aws-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try credentials.write(to: directory.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        try config.write(to: directory.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        try await body(directory.path)
    }

    static let credentialsFile = """
        [default]
        aws_access_key_id = AKIADEFAULT
        aws_secret_access_key = default-secret

        [ops]
        aws_access_key_id=AKIAOPS
        aws_secret_access_key=ops/secret+key ; comment
        aws_session_token = ops-token
        """
    static let configFile = """
        [default]
        region = us-east-2

        [profile ops]
        region = eu-central-1
        endpoint_url = http://127.0.0.1:9

        [profile keys-in-config]
        aws_access_key_id = AKIACONFIG
        aws_secret_access_key = config-secret

        [sso-session corp]
        region = us-west-2
        """

    @Test("environment variables come first")
    func environmentFirst() async throws {
        try await Self.withFiles(Self.credentialsFile, Self.configFile) { dir in
            let environment = AWSEnvironment(variables: [
                "HOME": dir, "AWS_SHARED_CREDENTIALS_FILE": "\(dir)/credentials", "AWS_CONFIG_FILE": "\(dir)/config",
                "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "env-token",
                "AWS_EC2_METADATA_DISABLED": "true",
            ])
            let credentials = try await DefaultCredentialChain(environment: environment).credentials()
            #expect(credentials.accessKeyID == "AKIAENV" && credentials.sessionToken == "env-token")
            #expect(credentials.source == "environment")
            #expect(environment.region == "us-east-2")
        }
    }

    @Test("profiles from the shared credentials and config files")
    func profiles() async throws {
        try await Self.withFiles(Self.credentialsFile, Self.configFile) { dir in
            var variables = [
                "HOME": dir, "AWS_SHARED_CREDENTIALS_FILE": "\(dir)/credentials", "AWS_CONFIG_FILE": "\(dir)/config",
                "AWS_EC2_METADATA_DISABLED": "true",
            ]
            let plain = try await DefaultCredentialChain(environment: AWSEnvironment(variables: variables)).credentials()
            #expect(plain.accessKeyID == "AKIADEFAULT" && plain.secretAccessKey == "default-secret")

            variables["AWS_PROFILE"] = "ops"
            let ops = AWSEnvironment(variables: variables)
            let credentials = try await DefaultCredentialChain(environment: ops).credentials()
            #expect(credentials.accessKeyID == "AKIAOPS" && credentials.secretAccessKey == "ops/secret+key")
            #expect(credentials.sessionToken == "ops-token" && credentials.source == "profile ops")
            #expect(ops.region == "eu-central-1")
            #expect(try ops.endpoint(for: .ssm, region: "eu-central-1") == AWSEndpoint(url: "http://127.0.0.1:9"))

            variables["AWS_PROFILE"] = "keys-in-config"
            let inConfig = try await DefaultCredentialChain(environment: AWSEnvironment(variables: variables)).credentials()
            #expect(inConfig.accessKeyID == "AKIACONFIG")

            variables["AWS_PROFILE"] = "missing"
            let error = await #expect(throws: AWSCredentialsError.self) {
                _ = try await DefaultCredentialChain(environment: AWSEnvironment(variables: variables)).credentials()
            }
            #expect(error?.message.contains("AWS_ACCESS_KEY_ID is not set") == true)
            #expect(error?.message.contains("profile missing") == true)
        }
    }

    @Test("region and endpoint resolution")
    func regionAndEndpoints() throws {
        let base = ["HOME": "/nonexistent-gateway-test-home"]
        #expect(AWSEnvironment(variables: base).region == nil)
        #expect(AWSEnvironment(variables: base.merging(["AWS_DEFAULT_REGION": "ap-south-1"]) { $1 }).region == "ap-south-1")
        #expect(
            AWSEnvironment(variables: base.merging(["AWS_DEFAULT_REGION": "ap-south-1", "AWS_REGION": "sa-east-1"]) { $1 })
                .region == "sa-east-1")
        #expect(throws: AWSConfigurationError.self) { try AWSConfiguration.resolve(environment: AWSEnvironment(variables: base)) }

        let plain = AWSEnvironment(variables: base)
        #expect(try plain.endpoint(for: .autoScaling, region: "eu-west-1").baseURL == "https://autoscaling.eu-west-1.amazonaws.com")
        #expect(try plain.endpoint(for: .cloudWatch, region: "cn-north-1").baseURL == "https://monitoring.cn-north-1.amazonaws.com.cn")
        #expect(try plain.endpoint(for: .elbv2, region: "us-east-1").host == "elasticloadbalancing.us-east-1.amazonaws.com")

        let overridden = AWSEnvironment(
            variables: base.merging([
                "AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL_SSM": "http://localhost:9000/ssm/",
                "AWS_ENDPOINT_URL_AUTO_SCALING": "https://[::1]:8443",
            ]) { $1 })
        #expect(try overridden.endpoint(for: .sts, region: "eu-west-1").hostHeader == "127.0.0.1:4566")
        let ssm = try overridden.endpoint(for: .ssm, region: "eu-west-1")
        #expect(ssm.hostHeader == "localhost:9000" && ssm.basePath == "/ssm")
        #expect(try overridden.endpoint(for: .autoScaling, region: "eu-west-1").hostHeader == "[::1]:8443")

        let ignored = AWSEnvironment(
            variables: base.merging([
                "AWS_ENDPOINT_URL": "http://127.0.0.1:4566", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
            ]) { $1 })
        #expect(try ignored.endpoint(for: .sts, region: "eu-west-1").host == "sts.eu-west-1.amazonaws.com")

        let broken = AWSEnvironment(variables: base.merging(["AWS_ENDPOINT_URL_EC2": "ftp://x"]) { $1 })
        let error = #expect(throws: AWSConfigurationError.self) { try broken.endpoint(for: .ec2, region: "eu-west-1") }
        #expect(error?.message.contains("AWS_ENDPOINT_URL_EC2") == true)
        for bad in ["", "http://", "http://host:0", "http://host:99999", "https://user@host", "host:80", "http://[::1"] {
            #expect(AWSEndpoint(url: bad) == nil, "\(bad)")
        }
    }
}
