import ArgumentParser
import Foundation
import GatewayCore
import GatewayProvision

/// `gw-cli render FILE --out DIR`: validates a config and writes its Terraform project, Packer template
/// and node bundle.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render the Terraform project, Packer template and node bundle of a config.",
        discussion: """
            Validates the config first: with errors nothing is written. Writes DIR/terraform, DIR/packer and \
            DIR/node through a temporary directory next to DIR. A non-empty DIR that no render wrote is refused \
            unless --force is given; files a render did not write (terraform.tfstate, .terraform/) are never deleted.
            Exit status: 0 rendered, 1 invalid config or write failure, 2 usage error.
            """
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Option(name: .long, help: "The bundle directory to write.")
    var out: String

    @Flag(help: "Write into a non-empty directory that holds no earlier bundle.")
    var force = false

    @Flag(help: "Print the summary as JSON.")
    var json = false

    func run() throws {
        let problems: [ConfigProblem]
        let config: GatewayConfig
        do {
            let loaded = try ConfigLoader.load(file: file)
            problems = loaded.validate()
            config = loaded.config
        } catch {
            report(error.allProblems(environment: nil))
            throw ExitCode.failure
        }
        if ConfigValidator.hasErrors(problems) {
            report(problems)
            throw ExitCode.failure
        }
        for warning in problems { Terminal.error(warning.formatted(file: file)) }

        let bundle: RenderedBundle
        let result: RenderedBundle.WriteResult
        do {
            bundle = try BundleRenderer.render(config)
            result = try bundle.write(to: URL(fileURLWithPath: out), force: force)
        } catch {
            Terminal.error("gw-cli render: \(error)")
            throw ExitCode.failure
        }
        if json {
            Terminal.out(Self.json(bundle: bundle, result: result))
        } else {
            Terminal.out(Self.text(bundle: bundle, result: result))
        }
    }

    private func report(_ problems: [ConfigProblem]) {
        for problem in problems { Terminal.error(problem.formatted(file: file)) }
        let errors = problems.filter { $0.severity == .error }.count
        Terminal.error("\(file): \(errors) error\(errors == 1 ? "" : "s"); nothing was rendered")
    }

    static func text(bundle: RenderedBundle, result: RenderedBundle.WriteResult) -> String {
        var lines = ["Rendered \(bundle.summary.deployment) into \(result.directory): \(result.written.count) files, \(bundle.summary.resourceCount) resources."]
        lines.append("Files:")
        for file in bundle.files {
            lines.append("  \(file.path)" + (file.isExecutable ? " (executable)" : ""))
        }
        if !result.removed.isEmpty {
            lines.append("Removed (no longer rendered):")
            lines += result.removed.map { "  \($0)" }
        }
        lines.append("Resources by type:")
        let width = bundle.summary.resourcesByType.keys.map(\.count).max() ?? 0
        for (type, count) in bundle.summary.resourcesByType.sorted(by: { $0.key < $1.key }) {
            lines.append("  " + type.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(count)")
        }
        return lines.joined(separator: "\n")
    }

    static func json(bundle: RenderedBundle, result: RenderedBundle.WriteResult) -> String {
        struct Report: Encodable {
            struct File: Encodable {
                let path: String
                let mode: String
                let bytes: Int
            }
            let deployment: String
            let directory: String
            let created: Bool
            let files: [File]
            let removed: [String]
            let resources: Int
            let resourcesByType: [String: Int]
            let dataSourcesByType: [String: Int]
        }
        let report = Report(
            deployment: bundle.summary.deployment,
            directory: result.directory,
            created: result.created,
            files: bundle.files.map { .init(path: $0.path, mode: String($0.mode, radix: 8), bytes: $0.contents.utf8.count) },
            removed: result.removed,
            resources: bundle.summary.resourceCount,
            resourcesByType: bundle.summary.resourcesByType,
            dataSourcesByType: bundle.summary.dataSourcesByType
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(report)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
