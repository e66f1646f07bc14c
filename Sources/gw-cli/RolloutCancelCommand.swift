import ArgumentParser
import GatewayCore
import GatewayProvision

/// `gw-cli rollout cancel FILE`: stops the instance refresh in progress (instances already replaced stay).
struct RolloutCancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel the instance refresh in progress (replaced instances stay; use rollback to revert)."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @OptionGroup var workspace: WorkspaceOptions

    func run() async throws {
        let config = try DeploymentOperationsSupport.load(file)
        let id = try await DeploymentOperationsSupport.run {
            try await RolloutController(
                clients: try DeploymentOperationsSupport.clients(for: config), store: try DeploymentOperationsSupport.store(for: config, workspace: workspace)
            ).cancel(config)
        }
        Terminal.out("cancelling instance refresh \(id)")
    }
}
