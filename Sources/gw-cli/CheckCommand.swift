import ArgumentParser
import Foundation
import GatewayCore
import GatewayProvision

/// `gw-cli check FILE [--json]`: the preflight of a deployment (see ``Preflight``), printed.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that a deployment can go ahead: tools, AWS credentials, hosted zone, instance types, secrets, image.",
        discussion: "Nothing is changed and no secret value is read. Exit status: 0 no check failed (warnings allowed), 1 a check failed or the config is invalid, 2 usage error."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Flag(help: "Print the report as JSON.")
    var json = false

    @OptionGroup var workspace: WorkspaceOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let loaded: LoadedConfig
        do {
            loaded = try ConfigLoader.load(file: file)
        } catch {
            for problem in error.allProblems(environment: environment) { Terminal.error(problem.formatted(file: file)) }
            throw ExitCode.failure
        }
        let root = WorkspaceRoot.resolve(explicit: workspace.workspaceRoot, environment: environment)
        let preflight = Preflight(
            config: loaded.config, workspace: Preflight.workspace(of: loaded.config, root: root), environment: environment)
        let report: PreflightReport
        do {
            report = try await preflight.run()
        } catch let error as PreflightConfigError {
            // The same problems, located in the file.
            for problem in loaded.validate(environment: environment) where problem.severity == .error {
                Terminal.error(problem.formatted(file: file))
            }
            Terminal.error("\(file): \(error.problems.filter { $0.severity == .error }.count) error(s); no check ran")
            throw ExitCode.failure
        }
        if json {
            Terminal.out(DeploymentOperationsSupport.json(report))
        } else {
            Terminal.out("deployment \(report.deployment) (\(report.region))")
            for check in report.checks {
                Terminal.out("\(check.status.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0)) \(check.id): \(check.found)")
                if let detail = check.detail, check.status != .ok { Terminal.out("       \(detail)") }
                if let fix = check.fix { Terminal.out("       fix: \(fix)") }
            }
            Terminal.out("\(report.summary) in \(String(format: "%.1f", report.elapsedSeconds)) s")
        }
        if !report.passed { throw ExitCode.failure }
    }
}
