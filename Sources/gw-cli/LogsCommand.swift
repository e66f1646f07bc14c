import ArgumentParser
import Foundation
import GatewayProvision

/// `gw-cli logs RUN_ID`: a run's event log, optionally following it while the run goes on.
struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Show a run's log; with --follow, keep showing it until the run ends."
    )

    @Argument(help: "The run's ID (see `gw-cli runs FILE`).")
    var runID: String

    @Flag(name: .shortAndLong, help: "Keep printing new events until the run ends.")
    var follow = false

    @Flag(help: "Print the events as JSON lines.")
    var json = false

    @OptionGroup var workspace: WorkspaceOptions

    func run() async throws {
        let deployment = try RunLocator.workspace(holding: runID, options: workspace)
        await deployment.recoverInterruptedRuns()
        let printer = RunProgressPrinter(json: json, live: false, file: "FILE")
        let log = deployment.eventLog(runID)
        if follow {
            let runID = runID
            let events = log.follow { (try? deployment.record(runID).status.isFinal) ?? true }
            for try await event in events { printer.show(event) }
        } else {
            for event in try DeploymentContext.provision({ try log.events() }) { printer.show(event) }
        }
    }
}
