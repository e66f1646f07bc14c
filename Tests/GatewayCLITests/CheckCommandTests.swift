import Foundation
import GatewayCore
import Testing

/// `gw-cli check` as a user runs it, against the moto fixture (signature checking on).
@Suite("gw-cli check")
struct CheckCommandTests {
    static func config(project: String, region: String, password: String) -> String {
        """
        project: {name: \(project), environment: test, region: \(region)}
        dns: {zoneName: \(project).example.com}
        filespaces:
          - {name: fs.dmpfs, user: gateway@example.com, password: "\(password)"}
        gateway: {rootAccessKey: "env:S3_ROOT_KEY", rootSecretKey: "env:S3_ROOT_SECRET", sha256: 4b5d3f0c2a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a29180f7e6d5c4b3a2918}
        image: {lucidLinkVersion: 3.2.6817, lucidLinkSha256: 9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0}

        """
    }

    @Test("a ready deployment: exit 0, every check printed, JSON on request; a missing secret: exit 1 with the fix; an invalid config: nothing checked")
    func check() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        _ = try TerraformTestTools.terraformWrapper(in: bin)
        let created = try #require(
            try await moto.server.control(
                "/_fixture/preflight",
                [
                    "region": moto.region, "hostedZones": [["name": "clicheck.example.com"]],
                    "parameters": [["name": "/clicheck/ll-password", "type": "SecureString", "value": "ll-secret-in-ssm"]],
                    "images": [["name": "gateway-clicheck", "tags": ["Deployment": "clicheck-test", "ManagedBy": "gw-cli"], "ageDays": 2]],
                ]) as? [String: Any])
        let image = try #require((created["imageIds"] as? [String])?.first)
        let file = directory.appendingPathComponent("gateway.yaml").path
        try Self.config(project: "clicheck", region: moto.region, password: "ssm:/clicheck/ll-password")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let rootSecret = "root-\(UUID().uuidString)"
        let environment = [
            "PATH": bin.path + ":/usr/bin:/bin", "HOME": directory.path, "GW_HOME": directory.appendingPathComponent("home").path,
            "AWS_ENDPOINT_URL": moto.server.url, "AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": moto.secretKey,
            "AWS_EC2_METADATA_DISABLED": "true", "S3_ROOT_KEY": "ROOTKEY0001", "S3_ROOT_SECRET": rootSecret,
        ]
        func run(_ arguments: [String]) async throws -> (CLIProcess.Result, Duration) {
            let started = ContinuousClock.now
            let result = try await AWSTestTools.offPool { try CLIProcess.run(arguments, environment: environment) }
            let elapsed = ContinuousClock.now - started
            for secret in ["ll-secret-in-ssm", rootSecret, moto.secretKey] {
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(arguments)")
            }
            return (result, elapsed)
        }

        let (ready, elapsed) = try await run(["check", file])
        print("gw-cli check against moto: \(elapsed) wall time (process start to exit)")
        #expect(ready.status == 0, "\(ready.stdout)\n\(ready.stderr)")
        let lines = ready.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "deployment clicheck-test (eu-west-1)")
        #expect(lines.contains { $0.hasPrefix("ok   tools.terraform: terraform 1.") }, "\(ready.stdout)")
        #expect(lines.contains("warn tools.packer: not found: images cannot be built here (deploying an existing image works)"), "\(ready.stdout)")
        #expect(lines.contains { $0.hasPrefix("ok   aws.identity: account 123456789012, arn:aws:iam::123456789012:user/gateway-tests") }, "\(ready.stdout)")
        #expect(lines.contains { $0.hasPrefix("ok   dns.hosted-zone: clicheck.example.com. (") })
        #expect(lines.contains("ok   compute.instance-types: c6id.4xlarge offered in eu-west-1a, eu-west-1b, eu-west-1c (the region's first available zones)"))
        #expect(lines.contains("ok   secrets.ssm: all 1 present: filespaces[0].password (/clicheck/ll-password)"))
        #expect(lines.contains { $0.hasPrefix("ok   image: \(image), available, from the newest image tagged Deployment=clicheck-test (gateway-clicheck, created ") }, "\(ready.stdout)")
        #expect(lines.last?.hasPrefix("7 ok, 1 warning, 0 failed in ") == true, "\(ready.stdout)")
        // Nothing was created: no workspace for a check.
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("home/clicheck-test").path))

        let (json, _) = try await run(["check", file, "--json"])
        #expect(json.status == 0, "\(json.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(report["passed"] as? Bool == true && report["deployment"] as? String == "clicheck-test")
        let checks = try #require(report["checks"] as? [[String: Any]])
        #expect(checks.map { $0["id"] as? String } == ["config", "tools.terraform", "tools.packer", "aws.identity", "dns.hosted-zone", "compute.instance-types", "secrets.ssm", "image"])
        #expect(checks.map { $0["status"] as? String } == ["ok", "ok", "warn", "ok", "ok", "ok", "ok", "ok"])

        // A secret that is not in SSM: exit 1, the failure and its fix.
        try Self.config(project: "clicheck", region: moto.region, password: "ssm:/clicheck/not-there")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let (missing, _) = try await run(["check", file])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("fail secrets.ssm: 1 of 1 missing: filespaces[0].password (/clicheck/not-there)"), "\(missing.stdout)")
        #expect(missing.stdout.contains("       fix: create them as SecureString parameters in eu-west-1, or correct the ssm: references"))

        // An invalid config: its problems with their lines, exit 1, and no check at all.
        try (Self.config(project: "clicheck", region: moto.region, password: "env:X") + "compute: {instanceTypes: [c6i.4xlarge]}\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let (invalid, _) = try await run(["check", file])
        #expect(invalid.status == 1 && invalid.stdout.isEmpty, "\(invalid.stdout)")
        #expect(invalid.stderr.contains("\(file):7:"), "\(invalid.stderr)")
        #expect(invalid.stderr.contains("compute.instanceTypes[0]") && invalid.stderr.contains("no check ran"), "\(invalid.stderr)")

        let (usage, _) = try await run(["check"])
        #expect(usage.status == 2)
    }
}
