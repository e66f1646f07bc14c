import GatewayCore
import GatewayProvision
import Hummingbird

/// The deployment's fleet in AWS: its status, and its rollout state. Rollouts and rollbacks
/// themselves are runs (`POST /v1/deployments/{name}/runs` with `rollout` or `rollback`).
struct FleetController: Sendable {
    let deployments: DeploymentsController
    let environment: [String: String]

    var operations: [APIOperation] {
        let awsFailures: [APIResponse] = [
            .problem(404, "No such deployment."),
            .problem(409, "The deployment has no stored config (not-configured), or its Auto Scaling group does not exist in AWS (not-deployed)."),
            .problem(502, "AWS refused a call (aws-error, with AWS's error code, message and request id)."),
            .problem(503, "AWS cannot be reached with the server's credentials (aws-unavailable)."),
        ]
        return [
            APIOperation(
                method: .get, path: "/v1/deployments/{name}/status", id: "deploymentStatus",
                summary: "The fleet as AWS reports it",
                description:
                    "The Auto Scaling group (desired and in-service capacity), each instance with its AMI, zone, lifecycle and health, the target group's health per instance, the AMIs running versus the newest built one, and the latest instance refresh. Read live from AWS with the server's credentials.",
                tag: "fleet", parameters: [DeploymentsController.nameParameter],
                responses: [.json(200, "The fleet's status.", schema: "FleetStatus")] + awsFailures,
                handler: status),
            APIOperation(
                method: .get, path: "/v1/deployments/{name}/rollout", id: "rolloutStatus",
                summary: "The latest instance refresh and the AMI versions recorded",
                description:
                    "What the fleet runs, what it ran before (the target of a rollback), every rollout, rollback and cancel, and the latest instance refresh. Start a rollout or rollback as a run.",
                tag: "fleet", parameters: [DeploymentsController.nameParameter],
                responses: [.json(200, "The rollout state.", schema: "RolloutStatus")] + awsFailures,
                handler: rollout),
        ]
    }

    @Sendable func status(_ request: Request, context: RESTRequestContext) async throws -> Response {
        try await readFromAWS(context) { config, _, clients in
            FleetStatusResource(try await FleetStatusReader(clients: clients).read(config))
        }
    }

    @Sendable func rollout(_ request: Request, context: RESTRequestContext) async throws -> Response {
        try await readFromAWS(context) { config, workspace, clients in
            let controller = RolloutController(clients: clients, store: AMIVersionStore(workspace: workspace), logger: context.logger)
            return RolloutStatusResource(try await controller.status(config))
        }
    }

    /// Answers with what `read` gets from AWS for the deployment named in the path, with the
    /// server's AWS credentials; AWS failures become problems (see ``APIProblem/init(aws:)``).
    private func readFromAWS<Resource: Encodable & Sendable>(
        _ context: RESTRequestContext,
        _ read: (GatewayConfig, DeploymentWorkspace, DeploymentAWSClients) async throws -> Resource
    ) async throws -> Response {
        let workspace = try deployments.existing(context)
        let config = try deployments.requiredConfig(workspace)
        let resource: Resource
        do {
            let clients = try DeploymentAWSClients(configuration: AWSConfiguration.deployment(config, environment: environment))
            resource = try await read(config, workspace, clients)
        } catch {
            throw APIProblem(aws: error)
        }
        return try JSONBody.response(resource)
    }
}
