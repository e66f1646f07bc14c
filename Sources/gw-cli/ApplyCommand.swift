import ArgumentParser
import GatewayProvision

/// `gw-cli apply FILE (--plan RUN_ID | --auto-approve)`: applies a reviewed plan.
struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a reviewed plan (or plan and apply at once with --auto-approve).",
        discussion: """
            A saved plan is refused when the config changed since it was made or when the state \
            changed (a stale plan). Ctrl-C stops terraform gracefully and records the run as canceled.
            """
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Option(name: .customLong("plan"), help: ArgumentHelp("The plan run to apply (from `gw-cli plan`).", valueName: "RUN_ID"))
    var planRunID: String?

    @Flag(name: .customLong("auto-approve"), help: "Plan and apply in one go, without review.")
    var autoApprove = false

    @Option(name: [.customLong("ami"), .customLong("ami-id")], help: "With --auto-approve: deploy this AMI (default: the last `ami build` or rollout, else compute.amiId).")
    var ami: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var options: RunOptions

    func run() async throws {
        let context = try DeploymentContext(file: file, workspace: workspace, bundleDirectory: options.bundleDirectory)
        let workspace = context.operations.workspace
        let request = DeploymentActionRequest(.apply, amiId: ami, planRun: planRunID, autoApprove: autoApprove)
        if planRunID == nil, !autoApprove {
            let latest = workspace.records().last { $0.action == .plan && $0.status == .succeeded && $0.planHasChanges == true && $0.planMode != .destroy }
            ActionRequestSupport.report(ActionProblems(request.problems(deployment: workspace.name)))
            Terminal.error(latest.map { "the latest plan is \($0.id): gw-cli apply \(file) --plan \($0.id)" } ?? "make one with: gw-cli plan \(file)")
            throw ExitCode(2)
        }
        let action = try ActionRequestSupport.validated(request, deployment: workspace.name)
        let record = try await RunExecution.execute(context: context, options: options) { operations, handler in
            try await operations.run(action, onEvent: handler)
        }
        try RunExecution.exit(for: record)
    }
}
