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
        let action = try ActionRequestSupport.validated(
            try watch.request(.rollback), deployment: context.operations.workspace.name)
        try await DeploymentOperationsSupport.rolloutRun(context, action: action, json: json, successes: [.rolledBack])
    }
}
