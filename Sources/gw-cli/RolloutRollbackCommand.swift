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
        let context = try DeploymentContext(file: file, workspace: workspace, validate: false)
        let options = try watch.options(config: context.config, imageID: "")
        let clients = try await DeploymentOperationsSupport.run { try DeploymentOperationsSupport.clients(for: context.config) }
        try await DeploymentOperationsSupport.rolloutRun(context, json: json, successes: [.rolledBack]) { operations, handler in
            try await operations.rollback(options, clients: clients, onEvent: handler)
        }
    }
}
