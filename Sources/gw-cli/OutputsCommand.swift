import ArgumentParser
import Foundation
import GatewayProvision

/// `gw-cli outputs FILE`: the deployment's terraform outputs.
struct OutputsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outputs",
        abstract: "Show the deployment's terraform outputs (S3 endpoint, load balancer, AMI, ...)."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Flag(help: "Print the outputs as a JSON object.")
    var json = false

    @Flag(name: .customLong("show-sensitive"), help: "Show the values of sensitive outputs too.")
    var showSensitive = false

    @OptionGroup var workspace: WorkspaceOptions

    func run() async throws {
        let context = try DeploymentContext(file: file, workspace: workspace, validate: false)
        let outputs = try await DeploymentContext.provision { try await context.operations.outputs() }
        if json {
            struct Shown: Encodable {
                var sensitive: Bool
                var value: TerraformValue?
                var type: TerraformValue?
            }
            let shown = outputs.mapValues { Shown(sensitive: $0.sensitive, value: $0.sensitive && !showSensitive ? nil : $0.value, type: $0.type) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Terminal.out(String(decoding: try encoder.encode(shown), as: UTF8.self))
            return
        }
        if outputs.isEmpty {
            Terminal.error("deployment \(context.operations.workspace.name) has no outputs")
        }
        for name in outputs.keys.sorted() {
            guard let output = outputs[name] else { continue }
            Terminal.out("\(name) = " + (output.sensitive && !showSensitive ? "(sensitive; --show-sensitive shows it)" : output.value.description))
        }
    }
}
