import Foundation
import GatewayCore
import GatewayProvision
import Logging
import Synchronization

/// A deployment created in the moto fixture the way `gw-cli apply` would have left it, with the config,
/// environment and workspace directory the operations run with.
struct MotoDeployment {
    let moto: MotoAWS
    let config: GatewayConfig
    let environment: [String: String]
    let workspace: URL
    let launchTemplateID: String
    let targetGroupARN: String
    let images: [String]

    static func create(on moto: MotoAWS, project: String, scenario: String = "success", autoRollback: Bool = true)
        async throws -> MotoDeployment
    {
        var config = GatewayConfig(project: ProjectSettings(name: project, environment: "test", region: moto.region))
        config.aws = AWSAccessSettings(accessKeyId: Secret(reference: "env:TEST_AWS_KEY"), secretAccessKey: Secret(reference: "env:TEST_AWS_SECRET"))
        config.rollout.autoRollback = autoRollback
        config.rollout.checkpoints = [50, 100]
        let names = config.names
        let answer =
            try await moto.server.control(
                "/_fixture/deployment",
                [
                    "region": moto.region, "launchTemplate": names.launchTemplate, "targetGroup": names.targetGroup,
                    "autoScalingGroup": names.autoScalingGroup, "instances": 2,
                ]) as? [String: Any]
        _ = try await moto.server.control("/_fixture/refresh-scenario", ["group": names.autoScalingGroup, "scenario": scenario])
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("gw-provision-\(UUID().uuidString)")
        return MotoDeployment(
            moto: moto, config: config,
            environment: [
                "HOME": "/nonexistent-gateway-test-home", "AWS_ENDPOINT_URL": moto.server.url,
                "TEST_AWS_KEY": moto.accessKey, "TEST_AWS_SECRET": moto.secretKey, "GW_HOME": workspace.path,
            ],
            workspace: workspace, launchTemplateID: answer?["launchTemplateId"] as? String ?? "",
            targetGroupARN: answer?["targetGroupArn"] as? String ?? "", images: answer?["imageIds"] as? [String] ?? [])
    }

    func clients(logger: Logger = Logger(label: "gateway.test")) throws -> DeploymentAWSClients {
        try DeploymentAWSClients(
            configuration: AWSConfiguration.deployment(
                config, environment: environment, http: MotoAWS.patientHTTP, retry: AWSRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10)), logger: logger))
    }

    var store: AMIVersionStore {
        get throws { try AMIVersionStore(config: config, root: WorkspaceRoot(url: workspace)) }
    }

    func controller(logger: Logger = Logger(label: "gateway.test")) throws -> RolloutController {
        RolloutController(clients: try clients(logger: logger), store: try store, logger: logger)
    }

    func options(_ ami: String) -> RolloutOptions {
        RolloutOptions(config: config, imageID: ami, pollInterval: .milliseconds(20), unhealthyPollsBeforeRollback: 2, timeout: .seconds(60))
    }

    func removeWorkspace() { try? FileManager.default.removeItem(at: workspace) }
}

/// Collects rollout events from the watch loop.
final class EventLog: Sendable {
    private let events = Mutex<[RolloutEvent]>([])
    func append(_ event: RolloutEvent) { events.withLock { $0.append(event) } }
    var all: [RolloutEvent] { events.withLock { $0 } }
}
