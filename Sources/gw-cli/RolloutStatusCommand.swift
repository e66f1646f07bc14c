import ArgumentParser
import GatewayCore
import GatewayProvision

/// `gw-cli rollout status FILE`: the latest instance refresh and the recorded AMI versions.
struct RolloutStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the latest instance refresh and the AMI versions recorded in the workspace."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @OptionGroup var workspace: WorkspaceOptions

    @Flag(help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        let config = try DeploymentOperationsSupport.load(file)
        let status = try await DeploymentOperationsSupport.run {
            try await RolloutController(
                clients: try DeploymentOperationsSupport.clients(for: config), store: try DeploymentOperationsSupport.store(for: config, workspace: workspace)
            ).status(config)
        }
        if json {
            Terminal.out(DeploymentOperationsSupport.json(status))
            return
        }
        Terminal.out(status.latestRefresh.map(DeploymentOperationsSupport.describe) ?? "no instance refresh on \(status.autoScalingGroup)")
        if let current = status.record.current {
            Terminal.out("running: \(current.imageID) (launch template version \(current.launchTemplateVersion))")
        }
        if let previous = status.record.previous {
            Terminal.out("previous: \(previous.imageID) (launch template version \(previous.launchTemplateVersion))")
        }
        for entry in status.record.history.suffix(10) {
            Terminal.out("  \(entry.time)  \(entry.action)  \(entry.imageID ?? "-")  \(entry.outcome)" + (entry.reason.map { "  \($0)" } ?? ""))
        }
    }
}
