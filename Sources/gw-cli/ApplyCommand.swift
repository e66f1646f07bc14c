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

    @Option(name: .customLong("ami-id"), help: "With --auto-approve: deploy this AMI (default: the last `ami build`, else compute.amiId).")
    var amiID: String?

    @OptionGroup var workspace: WorkspaceOptions
    @OptionGroup var options: RunOptions

    func validate() throws {
        if planRunID != nil, autoApprove {
            throw ValidationError("give either --plan RUN_ID or --auto-approve, not both")
        }
        if planRunID != nil, amiID != nil {
            throw ValidationError("--ami-id goes with --auto-approve or `gw-cli plan`; a saved plan already names its AMI")
        }
    }

    func run() async throws {
        let context = try DeploymentContext(file: file, workspace: workspace, bundleDirectory: options.bundleDirectory)
        let selection: ApplySelection
        if let planRunID {
            selection = .savedPlan(runID: planRunID)
        } else if autoApprove {
            selection = .autoApprove(amiID: amiID)
        } else {
            let latest = context.operations.workspace.records().last { $0.action == .plan && $0.status == .succeeded && $0.planHasChanges == true }
            Terminal.error(
                "error: apply needs a reviewed plan: --plan RUN_ID"
                    + (latest.map { " (the latest plan is \($0.id))" } ?? " (make one with `gw-cli plan \(file)`)")
                    + ", or --auto-approve to plan and apply without review")
            throw ExitCode(2)
        }
        let record = try await RunExecution.execute(context: context, options: options) { operations, handler in
            try await operations.apply(selection, onEvent: handler)
        }
        try RunExecution.exit(for: record)
    }
}
