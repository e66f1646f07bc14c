import ArgumentParser
import GatewayProvision

/// `gw-cli destroy FILE --confirm NAME`: destroys every resource of the deployment.
struct DestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Destroy every resource of the deployment.",
        discussion: "Needs --confirm with the deployment's name (<project.name>-<project.environment>)."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Option(help: ArgumentHelp("The deployment's name, to confirm.", valueName: "NAME"))
    var confirm: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var options: RunOptions

    func run() async throws {
        let context = try DeploymentContext(file: file, workspace: workspace, bundleDirectory: options.bundleDirectory)
        let name = context.operations.workspace.name
        guard let confirm else {
            Terminal.error("error: destroying deployment \(name) needs the confirmation --confirm \(name)")
            throw ExitCode(2)
        }
        let record = try await RunExecution.execute(context: context, options: options) { operations, handler in
            try await operations.destroy(confirmation: confirm, onEvent: handler)
        }
        try RunExecution.exit(for: record)
    }
}
