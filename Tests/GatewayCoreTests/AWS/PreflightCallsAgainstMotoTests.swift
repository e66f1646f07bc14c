import Foundation
import Logging
import Testing

@testable import GatewayCore

/// The calls the preflight makes, against moto with signature checking on: Route 53 (REST-XML on its
/// global endpoint, signed for us-east-1), EC2 zones and instance type offerings, SSM parameter metadata.
@Suite("AWS preflight calls against moto (signature checking on)")
struct PreflightCallsAgainstMotoTests {
    @Test("hosted zones by name, zones, offerings and parameter metadata; wrong credentials are refused, GETs included")
    func calls() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        let created = try #require(
            try await moto.server.control(
                "/_fixture/preflight",
                [
                    "region": moto.region,
                    "hostedZones": [["name": "calls.example.com"], ["name": "calls.example.com", "private": true], ["name": "other.example.org"]],
                    "parameters": [
                        ["name": "/calls/secure", "type": "SecureString", "value": "calls-secret-value"],
                        ["name": "/calls/plain", "type": "String", "value": "calls-plain-value"],
                    ],
                ]) as? [String: Any])
        let zoneIDs = try #require(created["hostedZoneIds"] as? [String])
        let logs = RecordingLogHandler.Store()
        let configuration = try moto.configuration(logger: RecordingLogHandler.logger(logs))

        let route53 = try Route53Client(configuration: configuration)
        let zones = try await route53.hostedZones(named: "Calls.Example.com.")
        #expect(Set(zones.map(\.id)) == Set(zoneIDs.prefix(2)))
        #expect(zones.allSatisfy { $0.name == "calls.example.com." })
        #expect(zones.filter(\.isPrivate).map(\.id) == [zoneIDs[1]])
        #expect(try await route53.hostedZones(named: "absent.example.net").isEmpty)

        let ec2 = try EC2Client(configuration: configuration)
        let available = try await ec2.describeAvailabilityZones(filters: [.init("state", ["available"])])
        #expect(available.map(\.name).sorted() == ["eu-west-1a", "eu-west-1b", "eu-west-1c"])
        #expect(available.allSatisfy { $0.state == "available" && $0.zoneID?.hasPrefix("euw1-az") == true })
        let offerings = try await ec2.describeInstanceTypeOfferings(
            instanceTypes: ["c6id.4xlarge", "g6.xlarge"], locations: ["eu-west-1a", "eu-west-1b"])
        #expect(Set(offerings.map(\.location)) == ["eu-west-1a", "eu-west-1b"])
        #expect(offerings.allSatisfy { $0.instanceType == "c6id.4xlarge" && $0.locationType == "availability-zone" })

        let ssm = try SSMClient(configuration: configuration)
        let metadata = try await ssm.describeParameters(names: ["/calls/secure", "/calls/plain", "/calls/absent", "/calls/secure"])
        #expect(Set(metadata.map(\.name)) == ["/calls/secure", "/calls/plain"])
        #expect(metadata.first { $0.name == "/calls/secure" }?.type == "SecureString")
        #expect(metadata.first { $0.name == "/calls/plain" }?.type == "String")
        #expect(metadata.allSatisfy { $0.version == 1 })
        // More names than one filter holds: batched, all found.
        let many = (0..<(SSMClient.namesPerFilter + 3)).map { "/calls/absent-\($0)" } + ["/calls/plain"]
        #expect(try await ssm.describeParameters(names: many).map(\.name) == ["/calls/plain"])

        let text = logs.text
        #expect(text.contains("ListHostedZonesByName") && text.contains("DescribeInstanceTypeOfferings") && text.contains("DescribeParameters"))
        for secret in ["calls-secret-value", "calls-plain-value", moto.secretKey] { #expect(!text.contains(secret)) }

        // moto checks every signature, the GETs of Route 53 included.
        let wrong = try moto.configuration(secret: "wrong-secret-value")
        let refused = await #expect(throws: AWSError.self) { _ = try await Route53Client(configuration: wrong).hostedZones(named: "calls.example.com") }
        #expect(refused?.code == "SignatureDoesNotMatch" && refused?.isAuthenticationFailure == true, "\(String(describing: refused))")
        let refusedSSM = await #expect(throws: AWSError.self) { _ = try await SSMClient(configuration: wrong).describeParameters(names: ["/calls/plain"]) }
        #expect(refusedSSM?.isAuthenticationFailure == true, "\(String(describing: refusedSSM))")
    }

    @Test("Route 53 is global: one endpoint per partition, signed for the partition's home region")
    func globalEndpoint() throws {
        #expect(AWSService.route53.defaultEndpoint(region: "eu-west-1").baseURL == "https://route53.amazonaws.com")
        #expect(AWSService.route53.defaultEndpoint(region: "cn-north-1").baseURL == "https://route53.amazonaws.com.cn")
        #expect(AWSService.route53.defaultEndpoint(region: "us-gov-west-1").baseURL == "https://route53.us-gov.amazonaws.com")
        #expect(AWSService.route53.signingRegion(for: "eu-west-1") == "us-east-1")
        #expect(AWSService.route53.signingRegion(for: "cn-northwest-1") == "cn-northwest-1")
        #expect(AWSService.ec2.signingRegion(for: "eu-west-1") == "eu-west-1")
        #expect(AWSService.ec2.defaultEndpoint(region: "eu-west-1").baseURL == "https://ec2.eu-west-1.amazonaws.com")
        let environment = AWSEnvironment(variables: ["HOME": "/nonexistent-gateway-test-home", "AWS_ENDPOINT_URL_ROUTE_53": "http://127.0.0.1:9"])
        #expect(try environment.endpoint(for: .route53, region: "eu-west-1").baseURL == "http://127.0.0.1:9")
    }
}
