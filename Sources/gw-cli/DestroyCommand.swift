import ArgumentParser
import GatewayProvision

/// `gw-cli destroy FILE (--plan RUN_ID | --auto-approve --confirm NAME)`: destroys every resource
/// of the deployment.
struct DestroyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Destroy every resource of the deployment, by a reviewed destroy plan.",
        discussion: """
            Make the destroy plan with `gw-cli plan FILE --destroy`, review what goes away, then \
            `gw-cli destroy FILE --plan RUN_ID`. Without review: --auto-approve --confirm NAME \
            (the deployment's name, <project.name>-<project.environment>).
            """
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Option(name: .customLong("plan"), help: ArgumentHelp("The destroy plan run to apply (from `gw-cli plan --destroy`).", valueName: "RUN_ID"))
    var planRunID: String?

    @Flag(name: .customLong("auto-approve"), help: "Destroy without a reviewed plan (needs --confirm).")
    var autoApprove = false

    @Option(help: ArgumentHelp("The deployment's name, to confirm a destroy without review.", valueName: "NAME"))
    var confirm: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var options: RunOptions

    func run() async throws {
        let context = try DeploymentContext(file: file, workspace: workspace, bundleDirectory: options.bundleDirectory)
        let workspace = context.operations.workspace
        let request = DeploymentActionRequest(.destroy, planRun: planRunID, autoApprove: autoApprove, confirm: confirm)
        if planRunID == nil, !autoApprove {
            ActionRequestSupport.report(ActionProblems(request.problems(deployment: workspace.name)))
            let latest = workspace.records().last { $0.action == .plan && $0.status == .succeeded && $0.planMode == .destroy }
            Terminal.error(latest.map { "the latest destroy plan is \($0.id): gw-cli destroy \(file) --plan \($0.id)" } ?? "make one with: gw-cli plan \(file) --destroy")
            throw ExitCode(2)
        }
        let action = try ActionRequestSupport.validated(request, deployment: workspace.name)
        let record = try await RunExecution.execute(context: context, options: options) { operations, handler in
            try await operations.run(action, onEvent: handler)
        }
        try RunExecution.exit(for: record)
    }
}
