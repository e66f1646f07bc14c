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
    var ami: String

    @OptionGroup var watch: RolloutWatchOptions

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let context = try DeploymentContext(file: file, workspace: workspace, validate: false)
        let options = try watch.options(config: context.config, imageID: ami)
        let clients = try await DeploymentOperationsSupport.run { try DeploymentOperationsSupport.clients(for: context.config) }
        try await DeploymentOperationsSupport.rolloutRun(context, json: json, successes: [.succeeded, .unchanged]) { operations, handler in
            try await operations.rollout(options, clients: clients, onEvent: handler)
        }
    }
}
