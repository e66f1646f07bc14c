import Foundation
import GatewayCore
import Testing

@testable import GatewayProvision

#if canImport(Glibc)
import Glibc
#endif

/// The preflight against the moto fixture (signature checking on): a ready deployment passes, what is
/// missing fails with its fix, the image is resolved as a plan resolves it (the newest self-owned,
/// available image tagged for the deployment), an invalid config calls nothing, and an AWS call that
/// gets no answer fails at its limit.
@Suite("Preflight checks and image resolution against moto")
struct PreflightTests {
    /// A valid config of deployment `<name>-test` in `region`; AWS keys and the S3 keys as `env:` references.
    static func config(name: String, region: String, password: String = "env:LL_PASSWORD", extra: String = "") throws -> GatewayConfig {
        let text = """
            project: {name: \(name), environment: test, region: \(region)}
            aws: {accessKeyId: "env:TEST_AWS_KEY", secretAccessKey: "env:TEST_AWS_SECRET"}
            dns: {zoneName: \(name).example.com}
            filespaces:
              - {name: fs.dmpfs, user: gateway@example.com, password: "\(password)"}
            gateway: {rootAccessKey: "env:S3_KEY", rootSecretKey: "env:S3_SECRET", sha256: 4b5d3f0c2a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29180f7e6d5c4b3a2918}
            image: {lucidLinkVersion: 3.2.6817, lucidLinkSha256: 9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0}
            \(extra)
            """
        return try ConfigLoader.load(text: text).config
    }

    /// The environment of a preflight against moto: the terraform wrapper on PATH, no packer.
    static func environment(_ moto: MotoAWS, bin: URL) -> [String: String] {
        [
            "PATH": bin.path + ":/usr/bin:/bin", "HOME": "/nonexistent-gateway-test-home", "AWS_ENDPOINT_URL": moto.server.url,
            "AWS_EC2_METADATA_DISABLED": "true", "TEST_AWS_KEY": moto.accessKey, "TEST_AWS_SECRET": moto.secretKey,
            "LL_PASSWORD": "ll-password-value", "S3_KEY": "ROOTKEY0001", "S3_SECRET": "root-secret-value",
        ]
    }

    static func preflight(_ config: GatewayConfig, _ environment: [String: String], workspace: DeploymentWorkspace? = nil) -> Preflight {
        Preflight(
            config: config, workspace: workspace, environment: environment,
            // moto shares 2 cores with every other test: the limits are generous, the point is that there is one.
            options: Preflight.Options(callLimit: .seconds(90), toolLimit: .seconds(90)),
            http: MotoAWS.patientHTTP, retry: AWSRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10)))
    }

    static func tags(_ deployment: String, managedBy: String = "gw-cli") -> [String: String] {
        ["Deployment": deployment, "ManagedBy": managedBy, "Project": "x"]
    }

    @Test("a ready deployment passes every check; a plan and the check choose the newest image tagged for it")
    func readyDeployment() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        let directory = try ProvisionTestSupport.temporaryDirectory("preflight")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try ProvisionTestSupport.terraformWrapper(in: directory)
        let environment = Self.environment(moto, bin: directory)
        let config = try Self.config(name: "pfok", region: moto.region, password: "ssm:/pfok/ll-password")
        let deployment = config.names.deployment
        let created = try #require(
            try await moto.server.control(
                "/_fixture/preflight",
                [
                    "region": moto.region,
                    "hostedZones": [["name": "pfok.example.com"], ["name": "pfok.example.com", "private": true]],
                    "parameters": [["name": "/pfok/ll-password", "type": "SecureString", "value": "ssm-secret-value"]],
                    "images": [
                        ["name": "old", "tags": Self.tags(deployment), "ageDays": 10],
                        ["name": "newest", "tags": Self.tags(deployment), "ageDays": 1],
                        ["name": "pending", "tags": Self.tags(deployment), "ageDays": 0, "state": "pending"],
                        ["name": "failed", "tags": Self.tags(deployment), "ageDays": 0, "state": "failed"],
                        ["name": "other-deployment", "tags": Self.tags("pfother-test"), "ageDays": 0],
                        ["name": "not-ours", "tags": Self.tags(deployment, managedBy: "someone-else"), "ageDays": 0],
                        ["name": "foreign", "tags": Self.tags(deployment), "ageDays": 0, "owner": "other"],
                        ["name": "untagged", "ageDays": 0],
                    ],
                ]) as? [String: Any])
        let images = try #require(created["imageIds"] as? [String])
        let newest = images[1]

        let report = try await Self.preflight(config, environment).run()
        #expect(report.checks.map(\.id) == PreflightCheck.ID.order, "\(report.checks.map(\.id))")
        let byID = Dictionary(uniqueKeysWithValues: report.checks.map { ($0.id, $0) })
        #expect(byID["config"]?.status == .ok)
        #expect(byID["tools.terraform"]?.status == .ok && byID["tools.terraform"]?.found.hasPrefix("terraform 1.") == true, "\(report.checks)")
        // packer is not installed here: only image builds need it, so it is a warning, with the fix.
        let packer = try #require(byID["tools.packer"])
        #expect(packer.status == .warn && packer.found.hasPrefix("not found") && packer.fix?.contains("GW_PACKER") == true, "\(packer)")
        #expect(byID["aws.identity"]?.status == .ok && byID["aws.identity"]?.found.contains("account 123456789012") == true, "\(report.checks)")
        let zone = try #require(byID["dns.hosted-zone"])
        let zoneID = try #require((created["hostedZoneIds"] as? [String])?.first)
        #expect(zone.status == .ok && zone.found.hasPrefix("pfok.example.com. (\(zoneID))"), "\(zone)")
        let types = try #require(byID["compute.instance-types"])
        #expect(types.status == .ok && types.found == "c6id.4xlarge offered in eu-west-1a, eu-west-1b, eu-west-1c (the region's first available zones)", "\(types)")
        let secrets = try #require(byID["secrets.ssm"])
        #expect(secrets.status == .ok && secrets.found == "all 1 present: filespaces[0].password (/pfok/ll-password)", "\(secrets)")
        let image = try #require(byID["image"])
        #expect(image.status == .ok && image.found.hasPrefix("\(newest), available, from the newest image tagged Deployment=\(deployment) (newest, created "), "\(image)")
        #expect(report.passed && report.summary == "7 ok, 1 warning, 0 failed")
        let encoded = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        for secret in ["ssm-secret-value", "root-secret-value", "ll-password-value", moto.secretKey] {
            #expect(!encoded.contains(secret))
        }

        // The resolution itself, through a lookup with the deployment's own AWS access.
        let lookup = BuiltImageLookup(config: config, environment: environment)
        let resolved = try await ImageResolver.resolve(explicit: nil, workspace: nil, config: config, lookup: lookup)
        #expect(resolved.amiID == newest && resolved.source.hasPrefix("newest image tagged Deployment=\(deployment) (newest, created "))
        // Earlier steps win over the search: an explicit id, then the config's compute.amiId.
        var configured = config
        configured.compute.amiId = images[0]
        #expect(try await ImageResolver.resolve(explicit: nil, workspace: nil, config: configured, lookup: lookup) == ResolvedImage(amiID: images[0], source: "config"))
        #expect(try await ImageResolver.resolve(explicit: "ami-0123456789abcdef0", workspace: nil, config: configured, lookup: lookup).source == "the request")
        // A configured image that is not available fails the check, naming where it came from.
        configured.compute.amiId = images[3]
        let failedImage = try #require(try await Self.preflight(configured, environment).run().check("image"))
        #expect(failedImage.status == .fail && failedImage.found == "\(images[3]) failed (from config) is failed", "\(failedImage)")
        configured.compute.amiId = images[2]
        let pendingImage = try #require(try await Self.preflight(configured, environment).run().check("image"))
        #expect(pendingImage.status == .warn && pendingImage.found.contains("is still pending"), "\(pendingImage)")

        // A plan of the deployment (no AMI recorded or configured) deploys the same image, and says why.
        var planDeployment = try TestDeployment("preflight-plan", amiID: "")
        defer { planDeployment.remove() }
        planDeployment.config = config
        planDeployment.environment.merge(environment.filter { $0.key != "PATH" && $0.key != "HOME" }) { $1 }
        let plan = try await planDeployment.operations(TestProject(nodes: 1)).plan()
        #expect(plan.status == .succeeded, "\(plan.message ?? "")")
        #expect(plan.amiID == newest && plan.amiSource?.hasPrefix("newest image tagged Deployment=\(deployment)") == true, "\(plan.amiSource ?? "")")
    }

    @Test("what is missing fails with its fix: no public zone, a missing secret, an instance type not offered, no image")
    func missingParts() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        let directory = try ProvisionTestSupport.temporaryDirectory("preflight-missing")
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = Self.environment(moto, bin: directory)  // no terraform either
        _ = try await moto.server.control(
            "/_fixture/preflight",
            [
                "region": moto.region,
                "hostedZones": [["name": "pfbad.example.com", "private": true]],
                "parameters": [["name": "/pfbad/plain", "type": "String", "value": "plain-secret-value"]],
                "images": [["name": "other", "tags": Self.tags("pfother-test"), "ageDays": 0]],
            ])
        var config = try Self.config(
            name: "pfbad", region: moto.region, password: "ssm:/pfbad/missing",
            extra: """
                compute: {instanceTypes: [g6.xlarge]}
                network: {availabilityZones: [eu-west-1a, eu-west-1b, eu-west-1c]}
                """)
        config.gateway.rootAccessKey = Secret(reference: "ssm:/pfbad/plain")
        let report = try await Self.preflight(config, environment).run()
        #expect(!report.passed)
        let byID = Dictionary(uniqueKeysWithValues: report.checks.map { ($0.id, $0) })
        let terraform = try #require(byID["tools.terraform"])
        #expect(terraform.status == .fail && terraform.found == "not found" && terraform.fix?.contains("GW_TERRAFORM") == true)
        #expect(byID["aws.identity"]?.status == .ok)
        let zone = try #require(byID["dns.hosted-zone"])
        #expect(zone.status == .fail && zone.found.hasPrefix("no public hosted zone named pfbad.example.com (only 1 private zone"), "\(zone)")
        #expect(zone.fix?.contains("dns.zoneName") == true)
        let types = try #require(byID["compute.instance-types"])
        #expect(
            types.status == .fail && types.found == "g6.xlarge not offered in eu-west-1a, eu-west-1b, eu-west-1c (zones: eu-west-1a, eu-west-1b, eu-west-1c, network.availabilityZones)", "\(types)")
        #expect(types.fix?.contains("compute.instanceTypes") == true)
        let secrets = try #require(byID["secrets.ssm"])
        #expect(secrets.status == .fail && secrets.found == "1 of 2 missing: filespaces[0].password (/pfbad/missing)", "\(secrets)")
        let image = try #require(byID["image"])
        #expect(image.status == .fail && image.found.contains("owns no available image tagged Deployment=pfbad-test in eu-west-1"), "\(image)")
        #expect(image.fix?.contains("compute.amiId") == true)
        for check in report.checks where check.status != .ok {
            #expect(check.fix?.isEmpty == false, "\(check.id) has no fix")
            for front in ["gw-cli", "--", "/v1/"] { #expect(check.fix?.contains(front) != true, "\(check.id): \(check.fix ?? "")") }
        }
        #expect(!String(decoding: try JSONEncoder().encode(report), as: UTF8.self).contains("plain-secret-value"))

        // A secondary type missing from the zones is a warning; a plain String parameter too.
        var mixed = config
        mixed.compute.instanceTypes = ["c6id.4xlarge", "g6.xlarge"]
        mixed.filespaces[0].password = Secret(reference: "ssm:/pfbad/plain")
        let second = try await Self.preflight(mixed, environment).run()
        #expect(second.check("compute.instance-types")?.status == .warn, "\(second.checks)")
        #expect(second.check("compute.instance-types")?.found.hasPrefix("g6.xlarge not offered in eu-west-1a, eu-west-1b, eu-west-1c") == true)
        let plain = try #require(second.check("secrets.ssm"))
        #expect(plain.status == .warn && plain.found == "all 2 present; not SecureString: gateway.rootAccessKey (/pfbad/plain), filespaces[0].password (/pfbad/plain)", "\(plain)")

        // Wrong credentials: every AWS check fails, naming the refusal and the fix, never the key.
        var wrong = environment
        wrong["TEST_AWS_SECRET"] = "wrong-secret-key-value"
        let refused = try await Self.preflight(config, wrong).run()
        for id in ["aws.identity", "dns.hosted-zone", "compute.instance-types", "secrets.ssm", "image"] {
            let check = try #require(refused.check(id))
            #expect(check.status == .fail, "\(check)")
        }
        #expect(refused.check("aws.identity")?.found.hasPrefix("AWS refused the credentials") == true, "\(refused.checks)")
        #expect(refused.check("aws.identity")?.fix?.contains("aws.accessKeyId") == true)
        #expect(!String(decoding: try JSONEncoder().encode(refused), as: UTF8.self).contains("wrong-secret-key-value"))
    }

    @Test("the zones are the region's own: Tokyo's a, c and d; a zone the region lacks and a type a zone lacks fail with the fix")
    func zonesOfTheRegion() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        let directory = try ProvisionTestSupport.temporaryDirectory("preflight-zones")
        defer { try? FileManager.default.removeItem(at: directory) }
        let environment = Self.environment(moto, bin: directory)
        func zoneCheck(_ region: String, _ extra: String = "") async throws -> PreflightCheck {
            let config = try Self.config(name: "pfzones", region: region, extra: extra)
            return try #require(try await Self.preflight(config, environment).run().check("compute.instance-types"))
        }
        let tokyo = try await zoneCheck("ap-northeast-1")
        #expect(tokyo.status == .ok && tokyo.found == "c6id.4xlarge offered in ap-northeast-1a, ap-northeast-1c, ap-northeast-1d (the region's first available zones)", "\(tokyo)")
        // moto's offerings (from AWS's) have c6id.4xlarge in ca-central-1a and b only.
        let canada = try await zoneCheck("ca-central-1")
        #expect(
            canada.status == .fail && canada.found == "c6id.4xlarge not offered in ca-central-1d (zones: ca-central-1a, ca-central-1b, ca-central-1d, the region's first available zones)", "\(canada)")
        let canadaTwo = try await zoneCheck("ca-central-1", "network: {zoneCount: 2}")
        #expect(canadaTwo.status == .ok && canadaTwo.found.hasPrefix("c6id.4xlarge offered in ca-central-1a, ca-central-1b"), "\(canadaTwo)")
        let named = try await zoneCheck("ap-northeast-1", "network: {availabilityZones: [ap-northeast-1a, ap-northeast-1b]}")
        #expect(
            named.status == .fail && named.found == "network.availabilityZones names ap-northeast-1b, not available in ap-northeast-1 (available: ap-northeast-1a, ap-northeast-1c, ap-northeast-1d)",
            "\(named)")
        #expect(named.fix?.contains("network.availabilityZones") == true)
        // us-west-1: two zones by default, both checked.
        let california = try await zoneCheck("us-west-1", "compute: {instanceTypes: [m5d.xlarge]}")
        #expect(california.found.contains("us-west-1a, us-west-1b") && !california.found.contains("us-west-1c"), "\(california)")
    }

    @Test("an invalid config fails before any call; an AWS endpoint that never answers fails each call at its limit")
    func invalidConfigAndSilentEndpoint() async throws {
        let listener = try SilentTCPListener()
        defer { listener.close() }
        let environment = [
            "PATH": "/usr/bin:/bin", "HOME": "/nonexistent-gateway-test-home", "AWS_ENDPOINT_URL": "http://127.0.0.1:\(listener.port)",
            "AWS_EC2_METADATA_DISABLED": "true", "TEST_AWS_KEY": "AKIDPREFLIGHT", "TEST_AWS_SECRET": "preflight-secret",
            "LL_PASSWORD": "x", "S3_KEY": "ROOTKEY0001", "S3_SECRET": "y",
        ]
        var invalid = try Self.config(name: "pfinv", region: "eu-west-1")
        invalid.compute.instanceTypes = ["c6i.4xlarge"]
        invalid.network.vpcCidr = "10.0.0.0/33"
        let preflight = Preflight(config: invalid, workspace: nil, environment: environment)
        do {
            _ = try await preflight.run()
            Issue.record("an invalid config was checked")
        } catch let error as PreflightConfigError {
            let paths = Set(error.problems.filter { $0.severity == .error }.map(\.path))
            #expect(paths.contains("compute.instanceTypes[0]") && paths.contains("network.vpcCidr"), "\(error.problems)")
        }
        #expect(listener.pendingConnections() == 0, "a call was made for an invalid config")

        // The tools: a FAKE terraform older than supported fails; the FAKE packer of the test kit passes.
        let directory = try ProvisionTestSupport.temporaryDirectory("preflight-tools")
        defer { try? FileManager.default.removeItem(at: directory) }
        let oldTerraform = directory.appendingPathComponent("terraform-1.4")
        try "#!/bin/sh\n# FAKE terraform for tests: only prints an old version.\necho '{\"terraform_version\":\"1.4.6\"}'\n"
            .write(to: oldTerraform, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: oldTerraform.path)
        var toolEnvironment = environment
        toolEnvironment["GW_TERRAFORM"] = oldTerraform.path
        toolEnvironment["GW_PACKER"] = try ProvisionTestSupport.fakePacker(in: directory, amiID: "ami-0123456789abcdef0").path

        let valid = try Self.config(name: "pfsilent", region: "eu-west-1")
        let limited = Preflight(
            config: valid, workspace: nil, environment: toolEnvironment,
            options: Preflight.Options(callLimit: .milliseconds(300), toolLimit: .seconds(60)), retry: .none)
        let report = try await limited.run()
        for id in ["aws.identity", "dns.hosted-zone", "compute.instance-types", "image"] {
            let check = try #require(report.check(id))
            #expect(check.status == .fail && check.found.hasSuffix("did not answer within 0.3 s"), "\(check)")
        }
        #expect(listener.pendingConnections() > 0)
        let terraform = try #require(report.check("tools.terraform"))
        #expect(terraform.status == .fail && terraform.found == "terraform 1.4.6, older than 1.10" && terraform.detail == oldTerraform.path, "\(terraform)")
        let packer = try #require(report.check("tools.packer"))
        #expect(packer.status == .ok && packer.found == "packer 1.11.2 (fake)" && packer.fix == nil, "\(packer)")
    }

    @Test("tool versions compare by their leading numbers")
    func versions() {
        #expect(Preflight.isAtLeast("1.5.0", [1, 5]) && Preflight.isAtLeast("1.10.0-beta1", [1, 5]) && Preflight.isAtLeast("2.0", [1, 9]))
        #expect(Preflight.isAtLeast("1.11.2 (fake)", [1, 9]) && Preflight.isAtLeast("1.9", [1, 9]))
        #expect(!Preflight.isAtLeast("1.4.6", [1, 5]) && !Preflight.isAtLeast("0.15.5", [1, 5]) && !Preflight.isAtLeast("1.8.7", [1, 9]))
        #expect(!Preflight.isAtLeast("", [1, 5]) && !Preflight.isAtLeast("unknown", [1, 5]))
    }
}

/// A TCP socket on 127.0.0.1 that never accepts: connections complete in the kernel's backlog and get
/// no answer. ``pendingConnections()`` takes them off the backlog (non-blocking) and counts them.
final class SilentTCPListener: @unchecked Sendable {
    let descriptor: Int32
    let port: Int

    init() throws {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socketDescriptor, 64) == 0 else { throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        _ = fcntl(socketDescriptor, F_SETFL, fcntl(socketDescriptor, F_GETFL) | O_NONBLOCK)
        descriptor = socketDescriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    private var accepted: [Int32] = []

    /// Accepts (and keeps open) every connection waiting in the backlog; returns how many there were so far.
    func pendingConnections() -> Int {
        while true {
            let connection = accept(descriptor, nil, nil)
            guard connection >= 0 else { break }
            accepted.append(connection)
        }
        return accepted.count
    }

    func close() {
        for connection in accepted { Glibc.close(connection) }
        Glibc.close(descriptor)
    }
}
