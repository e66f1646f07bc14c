import ArgumentParser
import Foundation
import GatewayCore

/// `gw-cli validate FILE`: loads and checks a config, printing every problem.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a config file and list every problem.",
        discussion: "Exit status: 0 valid (warnings allowed), 1 invalid, 2 usage error."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Flag(help: "Print the problems as a JSON array.")
    var json = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let problems: [ConfigProblem]
        var mapping: BucketMapping?
        do {
            let loaded = try ConfigLoader.load(file: file)
            problems = loaded.validate(environment: environment)
            mapping = loaded.config.bucketMapping
        } catch {
            problems = error.allProblems(environment: environment)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            Terminal.out(String(decoding: (try? encoder.encode(problems)) ?? Data("[]".utf8), as: UTF8.self))
        } else {
            for problem in problems {
                Terminal.out(problem.formatted(file: file))
            }
            let errors = problems.filter { $0.severity == .error }.count
            let warnings = problems.count - errors
            if errors == 0 {
                Terminal.error("\(file): valid" + (warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : ""))
                if let mapping { Terminal.error("buckets: \(mapping.summary)") }
            } else {
                Terminal.error("\(file): \(errors) error\(errors == 1 ? "" : "s")" + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : ""))
            }
        }
        if ConfigValidator.hasErrors(problems) { throw ExitCode.failure }
    }
}
