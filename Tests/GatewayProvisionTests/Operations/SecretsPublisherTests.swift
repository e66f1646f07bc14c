import Foundation
import GatewayCore
import Testing

@testable import GatewayProvision

/// Secrets pushed to SSM SecureString parameters and checked, against moto with signature checking on.
/// Run by `RolloutTests` on its moto server (each server costs seconds of CPU to start).
struct SecretsPublisherTests {
    /// Push writes each node secret once, check finds them, and no value appears in results or logs.
    func pushAndCheck(_ moto: MotoAWS) async throws {
        var deployment = try await MotoDeployment.create(on: moto, project: "sec")
        defer { deployment.removeWorkspace() }
        let password = "ll-\(UUID().uuidString)"
        let rootSecret = "root-secret-\(UUID().uuidString)"
        let secretFile = deployment.workspace.appendingPathComponent("root-secret")
        try FileManager.default.createDirectory(at: deployment.workspace, withIntermediateDirectories: true)
        try (rootSecret + "\n").write(to: secretFile, atomically: true, encoding: .utf8)
        var config = deployment.config
        config.filespaces = [FilespaceSettings(name: "fs.dmpfs", user: "gw@example.com", password: Secret(reference: "env:LL_PASSWORD"))]
        config.gateway.rootAccessKey = Secret(reference: "GWROOTACCESSKEY01")
        config.gateway.rootSecretKey = Secret(reference: "file:\(secretFile.path)")
        deployment = MotoDeployment(
            moto: moto, config: config, environment: deployment.environment.merging(["LL_PASSWORD": password]) { $1 },
            workspace: deployment.workspace, launchTemplateID: deployment.launchTemplateID,
            targetGroupARN: deployment.targetGroupARN, images: deployment.images)

        let logs = RecordingLogHandler.Store()
        let clients = try deployment.clients(logger: RecordingLogHandler.logger(logs))
        let publisher = SecretsPublisher(ssm: clients.ssm, environment: deployment.environment)
        let expected = [
            "/gateway/sec-test/gateway/rootAccessKey", "/gateway/sec-test/gateway/rootSecretKey",
            "/gateway/sec-test/filespaces/0/password",
        ]
        let before = try await publisher.check(config)
        #expect(Set(before.map(\.parameter)) == Set(expected) && before.allSatisfy { $0.state == "missing" })

        let pushed = try await publisher.push(config)
        #expect(pushed.map(\.state) == ["written", "written", "written"] && pushed.allSatisfy { $0.version == 1 })
        let again = try await publisher.push(config)
        #expect(again.map(\.state) == ["unchanged", "unchanged", "unchanged"])
        let after = try await publisher.check(config)
        #expect(after.allSatisfy { $0.state == "present" })
        let stored = try await clients.ssm.getParameter(name: "/gateway/sec-test/filespaces/0/password")
        #expect(stored.value == password && stored.type == "SecureString")

        // The node resolves its ssm: references to the pushed values.
        let node = NodeConfig(deployment: config, secrets: .parameterStore)
        let resolver = SecretResolver(environment: [:], ssm: clients.ssm)
        #expect(try await resolver.resolve(node.filespaces[0].password, field: "filespaces[0].password") == password)
        #expect(try await resolver.resolve(node.gateways.rootSecretKey, field: "gateway.rootSecretKey") == rootSecret)

        let encoded = String(decoding: try JSONEncoder().encode(pushed + after), as: UTF8.self)
        for secret in [password, rootSecret, "GWROOTACCESSKEY01", moto.secretKey] {
            #expect(!encoded.contains(secret) && !logs.text.contains(secret))
        }

        var broken = config
        broken.filespaces[0].password = Secret(reference: "env:NOT_SET_ANYWHERE")
        let error = await #expect(throws: OperationError.self) { _ = try await publisher.push(broken) }
        #expect(error?.message.contains("filespaces[0].password") == true)
    }
}
