import ArgumentParser
import GatewayCore
import GatewayProvision

/// `gw-cli rollout [start] FILE --ami ID`: rolls the AMI out and watches it to the end.
struct RolloutStartCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Roll AMI ID out to the deployment (the default rollout subcommand)."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "The AMI to roll out (ami-...).")
    var ami: String?

    @OptionGroup var watch: RolloutWatchOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let context = try DeploymentContext(file: file, workspace: workspace, validate: false)
        let action = try ActionRequestSupport.validated(
            try watch.request(.rollout, ami: ami), deployment: context.operations.workspace.name)
        try await DeploymentOperationsSupport.rolloutRun(context, action: action, json: json, successes: [.succeeded, .unchanged])
    }
}
