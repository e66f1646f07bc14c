import GatewayCore
import GatewayProvision
import Hummingbird

/// The preflight of a deployment (`POST /v1/deployments/{name}/check`): the library's ``Preflight`` on
/// the stored config, with the server's tools and AWS credentials. Nothing is changed.
struct PreflightController: Sendable {
    let deployments: DeploymentsController
    let environment: [String: String]

    var operations: [APIOperation] {
        [
            APIOperation(
                method: .post, path: "/v1/deployments/{name}/check", id: "checkDeployment",
                summary: "Check that the deployment can go ahead",
                description:
                    "Runs every preflight check that applies to the stored config, concurrently and each AWS call with a time limit: terraform and packer with their versions, the AWS identity (STS), the public hosted zone of `dns.zoneName` (when records are created), the instance types offered in each zone, the `ssm:` secrets present (by name; no value is read), and the image a plan would deploy available. The answer is 200 whatever the checks found: `passed` is false when one failed. Nothing is changed.",
                tag: "deployments", parameters: [DeploymentsController.nameParameter],
                responses: [
                    .json(200, "The checks and their results.", schema: "PreflightReport"),
                    .problem(404, "No such deployment."),
                    .problem(409, "The deployment has no stored config (not-configured)."),
                    .problem(422, "The stored config has errors; `problems` lists every one (no check ran)."),
                ],
                handler: check)
        ]
    }

    @Sendable func check(_ request: Request, context: RESTRequestContext) async throws -> Response {
        let workspace = try deployments.existing(context)
        let config = try deployments.requiredConfig(workspace)
        let preflight = Preflight(config: config, workspace: workspace, environment: environment, logger: context.logger)
        do {
            return try JSONBody.response(PreflightReportResource(try await preflight.run()))
        } catch let error as PreflightConfigError {
            let errors = error.problems.filter { $0.severity == .error }.count
            throw APIProblem(.invalidConfig, "the stored config has \(errors) error\(errors == 1 ? "" : "s"); no check ran", problems: error.problems)
        }
    }
}

/// A ``PreflightReport`` as the API answers it: the checks without their local details (which can
/// name paths on the server).
struct PreflightReportResource: Encodable, Sendable {
    struct Check: Encodable, Sendable {
        let id: String
        let title: String
        let status: String
        let found: String
        let fix: String?
    }

    let deployment: String
    let region: String
    let passed: Bool
    let summary: String
    let elapsedSeconds: Double
    let checks: [Check]

    init(_ report: PreflightReport) {
        deployment = report.deployment
        region = report.region
        passed = report.passed
        summary = report.summary
        elapsedSeconds = report.elapsedSeconds
        checks = report.checks.map {
            Check(id: $0.id, title: $0.title, status: $0.status.rawValue, found: $0.found, fix: $0.fix)
        }
    }

    static var schema: JSONTree {
        let s = OpenAPISchemas.self
        let check = s.object(
            [
                ("id", ["type": "string", "description": "Stable identifier, e.g. `aws.identity`, `dns.hosted-zone`, `image`."]),
                ("title", ["type": "string", "description": "What is checked."]),
                ("status", s.enumeration(PreflightCheck.Status.allCases.map(\.rawValue))),
                ("found", ["type": "string", "description": "What was found (no secret value)."]),
                ("fix", ["type": ["string", "null"], "description": "How to fix it; null when the check passed."]),
            ],
            required: ["id", "title", "status", "found"])
        return s.object(
            [
                ("deployment", s.string),
                ("region", s.string),
                ("passed", ["type": "boolean", "description": "Whether no check failed (warnings allowed)."]),
                ("summary", s.string),
                ("elapsedSeconds", ["type": "number", "minimum": 0]),
                ("checks", s.array(of: check)),
            ],
            required: ["deployment", "region", "passed", "summary", "elapsedSeconds", "checks"],
            description: "The preflight checks that apply to the deployment's config, in a fixed order.")
    }
}
