import ArgumentParser
import GatewayProvision

/// `gw-cli plan FILE`: renders the bundle and saves a terraform plan for review.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Render the bundle and save a terraform plan for review.",
        discussion: """
            The plan is saved in the deployment's workspace as a run; apply exactly that plan with \
            `gw-cli apply FILE --plan RUN_ID`. AMI: --ami-id, else the last `gw-cli ami build`, else compute.amiId.
            """
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Option(name: .customLong("ami-id"), help: "Deploy this AMI (default: the last `ami build`, else compute.amiId).")
    var amiID: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var options: RunOptions

    func run() async throws {
        let context = try DeploymentContext(file: file, workspace: workspace, bundleDirectory: options.bundleDirectory)
        let amiID = amiID
        let record = try await RunExecution.execute(context: context, options: options) { operations, handler in
            try await operations.plan(amiID: amiID, onEvent: handler)
        }
        if record.status == .succeeded, record.planHasChanges == true, !options.json {
            Terminal.out("Review the plan, then apply exactly it with: gw-cli apply \(file) --plan \(record.id)")
        }
        try RunExecution.exit(for: record)
    }
}
