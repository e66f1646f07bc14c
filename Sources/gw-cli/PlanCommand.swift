import ArgumentParser
import GatewayProvision

/// `gw-cli plan FILE [--destroy]`: renders the bundle and saves a terraform plan for review.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Render the bundle and save a terraform plan (or, with --destroy, a destroy plan) for review.",
        discussion: """
            The plan is saved in the deployment's workspace as a run; apply exactly that plan with \
            `gw-cli apply FILE --plan RUN_ID` (a destroy plan with `gw-cli destroy FILE --plan RUN_ID`). \
            AMI: --ami, else the later of the last `gw-cli ami build` and the last rollout, else compute.amiId.
            """
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Option(name: [.customLong("ami"), .customLong("ami-id")], help: "Deploy this AMI (default: the last `ami build` or rollout, else compute.amiId).")
    var ami: String?

    @Flag(help: "Plan the destruction of every resource of the deployment.")
    var destroy = false

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var options: RunOptions

    func run() async throws {
        let context = try DeploymentContext(file: file, workspace: workspace, bundleDirectory: options.bundleDirectory)
        let action = try ActionRequestSupport.validated(
            DeploymentActionRequest(.plan, amiId: ami, destroy: destroy), deployment: context.operations.workspace.name)
        let record = try await RunExecution.execute(context: context, options: options) { operations, handler in
            try await operations.run(action, onEvent: handler)
        }
        if record.status == .succeeded, record.planHasChanges == true, !options.json {
            let command = record.planMode == .destroy ? "destroy" : "apply"
            Terminal.out("Review the plan, then \(command) exactly it with: gw-cli \(command) \(file) --plan \(record.id)")
        }
        try RunExecution.exit(for: record)
    }
}
