import ArgumentParser
import GatewayCore
import GatewayProvision

/// `gw-cli rollout rollback FILE`: reverts the refresh in progress, or the last successful rollout.
struct RolloutRollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll back the refresh in progress, or else return to the previous recorded AMI."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var watch: RolloutWatchOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let config = try DeploymentOperationsSupport.load(file)
        let options = try watch.options(config: config, imageID: "")
        let result = try await DeploymentOperationsSupport.run {
            try await RolloutController(
                clients: try DeploymentOperationsSupport.clients(for: config), store: try DeploymentOperationsSupport.store(for: config, workspace: workspace)
            ).rollback(config, options: options) { Terminal.error(DeploymentOperationsSupport.describe($0)) }
        }
        Terminal.out(json ? DeploymentOperationsSupport.json(result) : DeploymentOperationsSupport.describe(result))
        if result.outcome != .rolledBack { throw ExitCode.failure }
    }
}
