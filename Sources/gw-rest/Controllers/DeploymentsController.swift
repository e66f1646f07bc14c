import GatewayCore
import GatewayProvision
import HTTPTypes
import Hummingbird

/// The deployments resource: store, read, list and remove deployment configs; render a bundle
/// summary; read terraform outputs.
struct DeploymentsController: Sendable {
    let root: WorkspaceRoot
    let bodies: RequestBodyReader
    let intake: ConfigIntake
    let environment: [String: String]
    let bundle: BundleSource

    static let nameParameter = APIParameter(
        name: "name", location: .path,
        description: "The deployment's name: the config's `project.name`-`project.environment`.",
        schema: ["type": "string", "pattern": .string(DeploymentNamePattern.regex)], example: "s3-gateway-prod")

    /// A valid config for the example deployment `s3-gateway-prod` (secrets as references).
    static let exampleConfig: JSONTree = [
        "project": ["name": "s3-gateway", "environment": "prod", "region": "us-east-1"],
        "compute": ["amiId": "ami-0123456789abcdef0"],
        "dns": ["zoneName": "example.com"],
        "filespaces": [["name": "mycompany.dmpfs", "user": "gateway@example.com", "password": "env:LUCIDLINK_PASSWORD"]],
        "gateway": ["rootAccessKey": "env:S3_ROOT_ACCESS_KEY", "rootSecretKey": "env:S3_ROOT_SECRET_KEY"],
        "image": ["lucidLinkVersion": "3.2.6817", "lucidLinkSha256": "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0"],
    ]

    /// Where a stored deployment leads.
    static let deploymentLinks = [
        APILink(name: "GetDeployment", operationID: "getDeployment", parameters: [("name", "$request.path.name")]),
        APILink(name: "RenderDeployment", operationID: "renderDeployment", parameters: [("name", "$request.path.name")]),
        APILink(name: "DeploymentOutputs", operationID: "deploymentOutputs", parameters: [("name", "$request.path.name")]),
        APILink(name: "StartRun", operationID: "startRun", parameters: [("name", "$request.path.name")]),
        APILink(name: "ListRuns", operationID: "listRuns", parameters: [("name", "$request.path.name")]),
        APILink(name: "DeleteDeployment", operationID: "deleteDeployment", parameters: [("name", "$request.path.name")]),
    ]

    var operations: [APIOperation] {
        let configBody = APIRequestBody(
            description: "The deployment's config, as JSON or YAML (by Content-Type). Secrets must be references (env:NAME, file:PATH, ssm:/PATH).",
            content: [
                (JSONBody.mediaType, OpenAPISchemas.reference("GatewayConfig")),
                ("application/yaml", OpenAPISchemas.reference("GatewayConfig")),
            ], example: Self.exampleConfig)
        return [
            APIOperation(
                method: .get, path: "/v1/deployments", id: "listDeployments",
                summary: "List the deployments", tag: "deployments",
                responses: [.json(200, "Every deployment with a workspace.", schema: "DeploymentList")],
                handler: list),
            APIOperation(
                method: .put, path: "/v1/deployments/{name}", id: "putDeployment",
                summary: "Create or replace a deployment's config",
                description:
                    "Validates the config and stores it when it has no error. The name must be the config's project.name-project.environment. Literal secret values are refused: the server stores references only.",
                tag: "deployments", parameters: [Self.nameParameter], requestBody: configBody,
                responses: [
                    .json(200, "The config replaced the stored one.", schema: "Deployment", links: Self.deploymentLinks),
                    .json(201, "The deployment was created.", schema: "Deployment", headers: [("Location", "The deployment's URL.", OpenAPISchemas.string)], links: Self.deploymentLinks),
                    .problem(400, "The name cannot name a deployment."),
                    .problem(413, "The body is larger than the limit."),
                    .problem(415, "The Content-Type is neither JSON nor YAML."),
                    .problem(422, "The config has errors; `problems` lists every one."),
                ],
                handler: put),
            APIOperation(
                method: .get, path: "/v1/deployments/{name}", id: "getDeployment",
                summary: "A deployment, with its config (secrets as references only)", tag: "deployments",
                parameters: [Self.nameParameter],
                responses: [.json(200, "The deployment.", schema: "Deployment"), .problem(404, "No such deployment.")],
                handler: get),
            APIOperation(
                method: .delete, path: "/v1/deployments/{name}", id: "deleteDeployment",
                summary: "Remove a deployment whose resources are destroyed",
                description:
                    "Refused while a run is in progress or while terraform state may hold resources (destroy first). The workspace, with its state and run records, is archived on the server, never deleted.",
                tag: "deployments", parameters: [Self.nameParameter],
                responses: [
                    APIResponse(status: 204, description: "The deployment was removed (its workspace archived)."),
                    .problem(404, "No such deployment."),
                    .problem(409, "A run is in progress (deployment-busy) or resources may exist (resources-exist)."),
                ],
                handler: delete),
            APIOperation(
                method: .post, path: "/v1/deployments/{name}/render", id: "renderDeployment",
                summary: "Render the bundle of the stored config and summarize it",
                description: "Renders the Terraform project, Packer template and node bundle in memory and lists the files and resources. Nothing is written; runs render again.",
                tag: "deployments", parameters: [Self.nameParameter],
                responses: [
                    .json(200, "The bundle summary.", schema: "RenderSummary"),
                    .problem(404, "No such deployment."),
                    .problem(409, "The deployment has no stored config (not-configured) or it cannot be rendered (conflict)."),
                ],
                handler: render),
            APIOperation(
                method: .get, path: "/v1/deployments/{name}/outputs", id: "deploymentOutputs",
                summary: "The deployment's terraform outputs (sensitive values withheld)", tag: "deployments",
                parameters: [Self.nameParameter],
                responses: [
                    .json(200, "The outputs by name.", schema: "Outputs"),
                    .problem(404, "No such deployment."),
                    .problem(409, "The deployment has no stored config or no state yet (apply it first)."),
                    .problem(503, "terraform is not available on the server."),
                ],
                handler: outputs),
        ]
    }

    // MARK: - Handlers

    @Sendable func list(_ request: Request, context: RESTRequestContext) async throws -> Response {
        try JSONBody.response(DeploymentList(deployments: root.deploymentSummaries().map { DeploymentResource($0) }))
    }

    @Sendable func put(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let name = try context.parameters.require("name")
        guard DeploymentWorkspace.isValidName(name) else {
            throw APIProblem(.malformedRequest, "a deployment name is lowercase letters, digits and dashes (at most 64), starting with a letter or digit")
        }
        let format = try bodies.configFormat(of: request)
        let result = intake.read(try await bodies.data(of: request), format: format)
        var problems = result.problems
        if let config = result.loaded?.config {
            problems += DeploymentWorkspace.storageProblems(of: config, name: name)
        }
        guard let config = result.loaded?.config, !ConfigValidator.hasErrors(problems) else {
            let errors = problems.filter { $0.severity == .error }.count
            throw APIProblem(.invalidConfig, "the config has \(errors) error\(errors == 1 ? "" : "s"); nothing was stored", problems: problems)
        }
        do {
            let (workspace, created) = try root.storeConfig(config, named: name)
            let resource = DeploymentResource(DeploymentSummary(workspace), config: config, warnings: problems)
            context.logger.info("config stored", metadata: ["deployment": .string(name), "created": .stringConvertible(created)])
            return try JSONBody.response(resource, status: created ? .created : .ok, headers: created ? [.location: "/v1/deployments/\(name)"] : [:])
        } catch let error as DeploymentWorkspace.StoreConfigError {
            throw APIProblem(.invalidConfig, "the config cannot be stored", problems: error.problems)
        } catch let error as ProvisionError {
            throw APIProblem(error, deployment: nil)
        }
    }

    @Sendable func get(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let workspace = try existing(context)
        let config = try storedConfig(workspace)
        return try JSONBody.response(DeploymentResource(DeploymentSummary(workspace), config: config))
    }

    @Sendable func delete(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let workspace = try existing(context)
        do {
            try root.archiveDeployment(named: workspace.name)
        } catch let error as WorkspaceRoot.RemovalError {
            switch error {
            case .busy(let runID):
                throw APIProblem(.deploymentBusy, "deployment \(workspace.name): \(error.description)", runningRun: runID)
            case .resourcesExist:
                throw APIProblem(.resourcesExist, "deployment \(workspace.name): \(error.description) (POST a destroy run)")
            }
        } catch let error as ProvisionError {
            throw APIProblem(error, deployment: workspace)
        }
        context.logger.notice("deployment removed (workspace archived)", metadata: ["deployment": .string(workspace.name)])
        return Response(status: .noContent)
    }

    @Sendable func render(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let workspace = try existing(context)
        let config = try requiredConfig(workspace)
        let bundle: RenderedBundle
        do {
            bundle = try BundleRenderer.render(config)
        } catch {
            throw APIProblem(.conflict, "the config cannot be rendered: \(error.path.isEmpty ? "" : error.path + ": ")\(error.message)")
        }
        return try JSONBody.response(RenderSummaryResource(bundle))
    }

    @Sendable func outputs(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let workspace = try existing(context)
        let config = try requiredConfig(workspace)
        do {
            let operations = try DeploymentOperations(root: root, config: config, bundle: bundle, environment: environment, logger: context.logger)
            return try JSONBody.response(OutputsResource(try await operations.outputs()))
        } catch let error as ProvisionError where error.code == .notFound {
            throw APIProblem(.conflict, "deployment \(workspace.name) has no state yet; apply it first")
        } catch let error as ProvisionError {
            throw APIProblem(error, deployment: workspace)
        }
    }

    // MARK: - Helpers

    /// The workspace named by the `name` parameter, or 404.
    func existing(_ context: RESTRequestContext) throws -> DeploymentWorkspace {
        let name = try context.parameters.require("name")
        guard DeploymentWorkspace.isValidName(name), let workspace = try? root.existingDeployment(named: name) else {
            throw APIProblem(.notFound, "there is no deployment \(DeploymentWorkspace.isValidName(name) ? name : "with that name")")
        }
        return workspace
    }

    /// The stored config, if any.
    func storedConfig(_ workspace: DeploymentWorkspace) throws -> GatewayConfig? {
        do {
            return try workspace.storedConfig()
        } catch let error as ProvisionError {
            throw APIProblem(error, deployment: workspace)
        }
    }

    /// The stored config; 409 when there is none.
    func requiredConfig(_ workspace: DeploymentWorkspace) throws -> GatewayConfig {
        guard let config = try storedConfig(workspace) else {
            throw APIProblem(.notConfigured, "deployment \(workspace.name) has no stored config; PUT one to /v1/deployments/\(workspace.name)")
        }
        return config
    }
}
