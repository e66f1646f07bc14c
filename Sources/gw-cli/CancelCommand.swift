import ArgumentParser
import Foundation
import GatewayProvision

/// `gw-cli cancel RUN_ID`: asks the process running a run to stop it, and waits for the outcome.
struct CancelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a running run: its tool is stopped gracefully and the run recorded as canceled.",
        discussion: "Works from any shell: the process running the run notices the request within a fraction of a second."
    )

    @Argument(help: "The run's ID (see `gw-cli runs FILE`).")
    var runID: String

    @Option(help: "How many seconds to wait for the run to end (0: do not wait).")
    var wait: Int = 600

    @OptionGroup var workspace: WorkspaceOptions

    func run() async throws {
        let deployment = try RunLocator.workspace(holding: runID, options: workspace)
        let runID = runID
        await deployment.recoverInterruptedRuns()
        try DeploymentContext.provision { try deployment.requestCancel(runID) }
        Terminal.error("cancel requested for run \(runID)")
        guard wait > 0 else { return }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(wait))
        while clock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            // A run whose owner died in the meantime is found and marked here too.
            await deployment.recoverInterruptedRuns()
            let record = try DeploymentContext.provision { try deployment.record(runID) }
            if record.status.isFinal {
                Terminal.out("run \(runID) \(record.status.rawValue): \(record.message ?? "")")
                if record.status == .canceled || record.status == .interrupted { return }
                throw ExitCode.failure
            }
        }
        Terminal.error("run \(runID) is still stopping after \(wait)s; follow it with `gw-cli logs \(runID) --follow`")
        throw ExitCode.failure
    }
}
