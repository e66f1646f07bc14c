import Foundation
import GatewayCore
import Logging

/// Plans, applies and destroys one deployment, builds its image and rolls AMIs out to its fleet,
/// each as a recorded run in the deployment's workspace.
///
/// Every run holds the deployment's lock from start to end (a second run fails at once, naming the
/// first), writes its record and event log as it goes, and ends with a final status. A run that
/// started returns its record whatever happened (``RunRecord/status`` says how it ended); errors
/// are thrown only when a run cannot start (busy, plan refused, tool missing, no AMI).
///
/// **Cancellation.** Cancelling the calling task, or `gw-cli cancel RUN_ID` from anywhere, stops
/// the tool gracefully (SIGINT to its process group; terraform finishes the operations in flight,
/// writes state and releases its state lock) and records the run as canceled.
public struct DeploymentOperations: Sendable {
    /// The deployment's workspace.
    public let workspace: DeploymentWorkspace
    /// The config the operations use.
    public let config: GatewayConfig
    /// Where the bundle comes from.
    public let bundle: BundleSource
    let environment: [String: String]
    let logger: Logger
    let runner: ProcessRunner
    /// How terraform is stopped when a run is canceled.
    public var terraformStopPolicy = ProcessStopPolicy(interruptGracePeriod: .seconds(60), terminateGracePeriod: .seconds(15))
    /// How packer is stopped when a run is canceled (it deletes its build instance on SIGINT).
    public var packerStopPolicy = ProcessStopPolicy(interruptGracePeriod: .seconds(300), terminateGracePeriod: .seconds(30))
    /// The file packer's manifest post-processor writes, relative to the packer directory.
    public var packerManifestName = "packer-manifest.json"

    /// Opens (creating if needed) the workspace of `config`'s deployment.
    ///
    /// - Parameters:
    ///   - root: The workspace root.
    ///   - config: The deployment config; its `project.name-project.environment` names the deployment.
    ///   - bundle: Where each run gets the bundle.
    ///   - environment: This process's environment: tool lookup (`GW_TERRAFORM`, `GW_PACKER`,
    ///     `PATH`), `env:` secrets and the allowlisted variables passed on to the tools.
    ///   - logger: Receives diagnostics of the runner (never tool output or secrets).
    public init(
        root: WorkspaceRoot,
        config: GatewayConfig,
        bundle: BundleSource,
        environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "gateway.provision")
    ) throws {
        self.workspace = try root.deployment(named: config.names.deployment)
        self.config = config
        self.bundle = bundle
        self.environment = environment
        self.logger = logger
        self.runner = ProcessRunner(logger: logger)
    }
}
