import Foundation
import GatewayCore
import GatewayProvision

/// A deployment as the API shows it: its stored config (secrets as references only), the run in
/// progress and the last run.
struct DeploymentResource: Encodable, Sendable {
    let name: String
    /// Whether a config is stored (a workspace made by `gw-cli` has none until one is stored).
    let configured: Bool
    /// When the config was last stored.
    let updatedAt: Date?
    /// The run holding the deployment, if any.
    let runningRun: String?
    /// The most recent run.
    let lastRun: RunResource?
    /// The stored config (only in single-deployment answers).
    let config: GatewayConfig?
    /// Warnings about the stored config (only in answers to a store).
    let warnings: [ConfigProblem]?

    /// A deployment's summary, with its config when given.
    init(_ summary: DeploymentSummary, config: GatewayConfig? = nil, warnings: [ConfigProblem]? = nil) {
        name = summary.workspace.name
        configured = summary.hasStoredConfig
        updatedAt = summary.storedConfigDate
        runningRun = summary.runningRun?.runID
        lastRun = summary.latestRecord.map(RunResource.init)
        self.config = config
        self.warnings = warnings
    }

    static var schema: JSONTree {
        let s = OpenAPISchemas.self
        return s.object(
            [
                ("name", ["type": "string", "pattern": .string(DeploymentNamePattern.regex)]),
                ("configured", s.boolean),
                ("updatedAt", s.dateTime),
                ("runningRun", s.string),
                ("lastRun", s.reference("Run")),
                ("config", s.reference("GatewayConfig")),
                ("warnings", s.array(of: s.reference("ConfigProblem"))),
            ],
            required: ["name", "configured"],
            description: "A deployment: its stored config (secrets only as references) and its runs."
        )
    }
}

/// The list of deployments.
struct DeploymentList: Encodable, Sendable {
    let deployments: [DeploymentResource]

    static var schema: JSONTree {
        OpenAPISchemas.object([("deployments", OpenAPISchemas.array(of: OpenAPISchemas.reference("Deployment")))], required: ["deployments"])
    }
}

/// The name rule of deployments, for path parameters.
enum DeploymentNamePattern {
    static let regex = "^[a-z0-9][a-z0-9-]{0,63}$"
}
