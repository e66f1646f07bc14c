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
        let config = try DeploymentOperationsSupport.load(file)
        let options = try watch.options(config: config, imageID: ami)
        let result = try await DeploymentOperationsSupport.run {
            let controller = RolloutController(
                clients: try DeploymentOperationsSupport.clients(for: config), store: try DeploymentOperationsSupport.store(for: config, workspace: workspace))
            return try await controller.start(config, options: options) { Terminal.error(DeploymentOperationsSupport.describe($0)) }
        }
        Terminal.out(json ? DeploymentOperationsSupport.json(result) : DeploymentOperationsSupport.describe(result))
        if result.outcome != .succeeded && result.outcome != .unchanged { throw ExitCode.failure }
    }
}
