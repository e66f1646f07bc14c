import ArgumentParser
import Foundation
import GatewayProvision

/// `gw-cli runs FILE`: the deployment's runs, oldest first.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the deployment's runs (plan, apply, destroy, ami-build) with their status."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Flag(help: "Print the run records as a JSON array.")
    var json = false

    @OptionGroup var workspace: WorkspaceOptions

    func run() async throws {
        let context = try DeploymentContext(file: file, workspace: workspace, validate: false)
        let deployment = context.operations.workspace
        let interrupted = await deployment.recoverInterruptedRuns()
        let records = deployment.records()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.dateEncodingStrategy = .iso8601
            Terminal.out(String(decoding: try encoder.encode(records), as: UTF8.self))
            return
        }
        for record in interrupted {
            Terminal.error("note: run \(record.id) was \(record.message ?? "interrupted")")
        }
        guard !records.isEmpty else {
            Terminal.error("deployment \(deployment.name) has no runs yet")
            return
        }
        let rows = records.map { record -> [String] in
            [
                record.id, record.action.rawValue, record.status.rawValue,
                record.startTime.formatted(Date.ISO8601FormatStyle()),
                RunProgressPrinter.elapsed(record.duration),
                record.message ?? "",
            ]
        }
        let header = ["RUN", "ACTION", "STATUS", "STARTED", "TOOK", "RESULT"]
        let widths = (0..<5).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            let padded = (0..<5).map { row[$0].padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            Terminal.out((padded + [row[5]]).joined(separator: "  "))
        }
    }
}
