import Foundation
import GatewayCore
import Testing

/// `gw-cli status | rollout | secrets` as a user runs them, against the moto fixture (signature checking on).
@Suite("gw-cli AWS operation commands")
struct AWSOperationCommandTests {
    @Test("secrets push/check, rollout, rollout status and status, with no secret in any output")
    func operations() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        let directory = try CLIProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let answer = try #require(
            try await moto.server.control(
                "/_fixture/deployment",
                ["region": moto.region, "launchTemplate": "cli-test-node", "targetGroup": "cli-test-proxy", "autoScalingGroup": "cli-test-asg"])
                as? [String: Any])
        let images = try #require(answer["imageIds"] as? [String])
        let file = directory.appendingPathComponent("gateway.yaml").path
        try """
        project: {name: cli, environment: test, region: \(moto.region)}
        filespaces:
          - {name: fs.dmpfs, user: gw@example.com, password: "env:LL_PASSWORD"}
        gateway: {rootAccessKey: "env:S3_ROOT_KEY", rootSecretKey: "env:S3_ROOT_SECRET"}
        """.write(toFile: file, atomically: true, encoding: .utf8)
        let password = "ll-\(UUID().uuidString)"
        let rootSecret = "root-\(UUID().uuidString)"
        let environment = [
            "PATH": "/usr/bin:/bin", "HOME": directory.path, "GW_HOME": directory.appendingPathComponent("home").path,
            "AWS_ENDPOINT_URL": moto.server.url, "AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": moto.secretKey,
            "LL_PASSWORD": password, "S3_ROOT_KEY": "ROOTKEY0001", "S3_ROOT_SECRET": rootSecret,
        ]
        func run(_ arguments: [String], _ env: [String: String] = environment) async throws -> CLIProcess.Result {
            let result = try await AWSTestTools.offPool { try CLIProcess.run(arguments, environment: env) }
            for secret in [password, rootSecret, moto.secretKey] {
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(arguments)")
            }
            return result
        }

        let missing = try await run(["secrets", "check", file])
        #expect(missing.status == 1 && missing.stdout.contains("missing  /gateway/cli-test/filespaces/0/password"))
        let pushed = try await run(["secrets", "push", file])
        #expect(pushed.status == 0, "\(pushed.stderr)")
        #expect(pushed.stdout.contains("written  /gateway/cli-test/gateway/rootSecretKey"))
        #expect(try await run(["secrets", "check", file, "--json"]).status == 0)

        let rollout = try await run(["rollout", file, "--ami", images[1], "--poll-seconds", "0.02", "--json"])
        #expect(rollout.status == 0, "\(rollout.stderr)")
        let result = try #require(try JSONSerialization.jsonObject(with: Data(rollout.stdout.utf8)) as? [String: Any])
        #expect(result["outcome"] as? String == "succeeded" && result["imageID"] as? String == images[1])
        #expect(rollout.stderr.contains("instance refresh") && rollout.stderr.contains("Successful 100%"))

        // The rollout is a recorded run of the deployment, like plans and applies.
        let runs = try await run(["runs", file])
        #expect(runs.status == 0 && runs.stdout.contains("rollout") && runs.stdout.contains("succeeded"), "\(runs.stdout)\(runs.stderr)")

        let rolloutStatus = try await run(["rollout", "status", file, "--json"])
        let record = try #require(try JSONSerialization.jsonObject(with: Data(rolloutStatus.stdout.utf8)) as? [String: Any])
        #expect((record["record"] as? [String: Any])?["current"] as? [String: Any] != nil)
        let recordFile = directory.appendingPathComponent("home/deployments/cli-test/ami-versions.json").path
        #expect(FileManager.default.fileExists(atPath: recordFile))

        let rollback = try await run(["rollout", "rollback", file, "--poll-seconds", "0.02", "--json"])
        #expect(rollback.status == 0, "\(rollback.stderr)")
        let back = try #require(try JSONSerialization.jsonObject(with: Data(rollback.stdout.utf8)) as? [String: Any])
        #expect(back["outcome"] as? String == "rolled-back" && back["imageID"] as? String == images[0], "\(back)")

        let status = try await run(["status", file])
        #expect(status.status == 0 && status.stdout.contains("auto scaling group cli-test-asg: desired 2"))
        #expect(status.stdout.contains("last: instance refresh"))

        let usage = try await run(["rollout", file, "--ami", "not-an-ami"])
        #expect(usage.status == 2 && usage.stderr.contains(#"error: --ami: "not-an-ami" is not an AMI ID"#) && usage.stderr.contains("[invalid-ami-id]"), "\(usage.stderr)")
        var wrong = environment
        wrong["AWS_SECRET_ACCESS_KEY"] = "wrong-\(moto.secretKey)"
        let denied = try await run(["status", file], wrong)
        #expect(denied.status == 1 && denied.stderr.contains("SignatureDoesNotMatch"))
        #expect(!denied.stderr.contains("wrong-\(moto.secretKey)"))
    }
}
