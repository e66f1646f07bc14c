import Foundation
import GatewayCore
import Logging

/// Runs terraform commands on one configuration directory, non-interactively.
///
/// Long commands (init, plan, apply, destroy) return a ``TerraformEventStream``; short ones whose
/// output is data (show, output, version) return decoded values. Every command runs with
/// `-input=false` and standard input closed, so terraform never waits for a person.
public struct TerraformDriver: Sendable {
    /// The terraform executable.
    public var tool: TerraformTool
    /// The configuration directory (the rendered `terraform/` project).
    public var configurationDirectory: String
    /// Where the state lives.
    public var state: TerraformStateLocation
    /// terraform's environment (see ``TerraformDriver/environment(from:dataDirectory:additions:)``).
    public var environment: ProcessEnvironment
    /// Secret values removed from every line terraform prints.
    public var redactedValues: [String]
    /// How terraform is stopped on cancellation.
    public var stopPolicy: ProcessStopPolicy
    private let runner: ProcessRunner

    /// Creates a driver.
    ///
    /// - Parameters:
    ///   - tool: The terraform executable.
    ///   - configurationDirectory: The terraform project directory.
    ///   - state: Where the state lives.
    ///   - environment: terraform's complete environment.
    ///   - redactedValues: Secret values to remove from terraform's output.
    ///   - stopPolicy: How terraform is stopped. Default: SIGINT, 60 s, SIGTERM, 15 s, SIGKILL
    ///     (terraform needs time to finish the resource operations in flight and write state).
    ///   - runner: The process runner.
    public init(
        tool: TerraformTool,
        configurationDirectory: String,
        state: TerraformStateLocation,
        environment: ProcessEnvironment,
        redactedValues: [String] = [],
        stopPolicy: ProcessStopPolicy = ProcessStopPolicy(interruptGracePeriod: .seconds(60), terminateGracePeriod: .seconds(15)),
        runner: ProcessRunner = ProcessRunner()
    ) {
        self.tool = tool
        self.configurationDirectory = configurationDirectory
        self.state = state
        self.environment = environment
        self.redactedValues = redactedValues
        self.stopPolicy = stopPolicy
        self.runner = runner
    }

    /// Variables terraform receives from the parent environment besides the base allowlist:
    /// AWS credentials and settings (`AWS_*`), proxies, CA bundles and terraform's CLI settings.
    /// `TF_VAR_*` is deliberately not passed: variables come from the config, so that a plan is
    /// fully determined by the config it was made from.
    public static let inheritedNames: Set<String> = [
        "TF_CLI_CONFIG_FILE", "TF_PLUGIN_CACHE_DIR", "TF_LOG", "TF_LOG_PATH", "CHECKPOINT_DISABLE",
        "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
        "SSL_CERT_FILE", "SSL_CERT_DIR",
    ]

    /// terraform's environment: the allowlisted part of `parent`, terraform's automation settings,
    /// the data directory, and `additions` (e.g. credentials from the config).
    public static func environment(
        from parent: [String: String], dataDirectory: String?, additions: [String: String] = [:]
    ) -> ProcessEnvironment {
        var environment = ProcessEnvironment.inherited(from: parent, allowing: inheritedNames, prefixes: ["AWS_"])
        environment["TF_IN_AUTOMATION"] = "1"
        environment["TF_INPUT"] = "0"
        if let dataDirectory { environment["TF_DATA_DIR"] = dataDirectory }
        return environment.adding(additions)
    }

    // MARK: - Streaming commands

    /// `terraform init -input=false -no-color` (with `-reconfigure` for local state, whose location
    /// the workspace decides, so that a moved workspace never asks to migrate state).
    public func initialize() -> TerraformEventStream {
        var arguments = ["init", "-input=false", "-no-color"]
        if case .localFile = state { arguments.append("-reconfigure") }
        return stream(arguments, decodesUI: false)
    }

    /// The name of the override file that points terraform's local backend at the state file.
    public static let localStateOverrideFileName = "gateway_state_override.tf"

    /// The content of the override file that keeps local state at `path`, outside the rendered
    /// configuration directory (so rendering again never touches state).
    public static func localStateOverride(path: String) -> String {
        var escaped = ""
        var previous: Character?
        for character in path {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "{" where previous == "$" || previous == "%": escaped += String(previous!) + "{"
            default: escaped.append(character)
            }
            previous = character
        }
        return """
            # Written by gw-cli: the deployment's local state lives in the workspace's state directory,
            # outside the rendered bundle, so rendering again never touches it.
            terraform {
              backend "local" {
                path = "\(escaped)"
              }
            }

            """
    }

    /// `terraform plan -input=false -out=FILE -json -detailed-exitcode` (see ``TerraformPlanOutcome``).
    ///
    /// - Parameters:
    ///   - planFile: Where to save the plan.
    ///   - variables: Values for root module variables (`-var=NAME=VALUE`).
    ///   - destroy: Plan the destruction of everything instead.
    public func plan(out planFile: String, variables: [String: String] = [:], destroy: Bool = false) -> TerraformEventStream {
        var arguments = ["plan", "-input=false", "-out=\(planFile)", "-json", "-detailed-exitcode"]
        if destroy { arguments.append("-destroy") }
        arguments += variableArguments(variables)
        return stream(arguments, decodesUI: true)
    }

    /// `terraform apply -input=false -json PLANFILE`: applies exactly the saved plan.
    public func apply(planFile: String) -> TerraformEventStream {
        stream(["apply", "-input=false", "-json", planFile], decodesUI: true)
    }

    /// `terraform destroy -auto-approve -input=false -json`.
    public func destroy(variables: [String: String] = [:]) -> TerraformEventStream {
        stream(["destroy", "-auto-approve", "-input=false", "-json"] + variableArguments(variables), decodesUI: true)
    }

    // MARK: - Commands whose output is data

    /// `terraform show -json PLANFILE`, summarised.
    ///
    /// - Throws: ``ProvisionError`` when terraform fails or its output is not a plan.
    public func show(planFile: String) async throws -> TerraformPlanSummary {
        let result = try await capture(["show", "-json", "-no-color", planFile])
        do {
            return try TerraformPlanSummary.decode(showJSON: Data(result.outputText.utf8))
        } catch {
            throw ProvisionError(.unreadableOutput, "terraform show -json did not print a plan: \(error)")
        }
    }

    /// `terraform output -json`, decoded.
    ///
    /// - Throws: ``ProvisionError`` when terraform fails or its output is not outputs.
    public func outputs() async throws -> [String: TerraformOutput] {
        let result = try await capture(["output", "-json", "-no-color"])
        do {
            return try TerraformOutput.decode(outputJSON: Data(result.outputText.utf8))
        } catch {
            throw ProvisionError(.unreadableOutput, "terraform output -json did not print outputs: \(error)")
        }
    }

    /// The version terraform reports (`terraform version -json`), e.g. `1.15.5`.
    public func version() async throws -> String {
        let result = try await capture(["version", "-json"])
        struct Version: Decodable {
            var terraformVersion: String
            enum CodingKeys: String, CodingKey { case terraformVersion = "terraform_version" }
        }
        guard let version = try? JSONDecoder().decode(Version.self, from: Data(result.outputText.utf8)) else {
            throw ProvisionError(.unreadableOutput, "\(tool.path) version -json did not print a version")
        }
        return version.terraformVersion
    }

    // MARK: - Helpers

    private func variableArguments(_ variables: [String: String]) -> [String] {
        variables.keys.sorted().map { "-var=\($0)=\(variables[$0] ?? "")" }
    }

    private func command(_ arguments: [String], timeout: Duration? = nil) -> ProcessCommand {
        ProcessCommand(
            executable: tool.path,
            arguments: arguments,
            environment: environment,
            workingDirectory: configurationDirectory,
            redactedValues: redactedValues,
            timeout: timeout,
            stopPolicy: stopPolicy
        )
    }

    private func stream(_ arguments: [String], decodesUI: Bool) -> TerraformEventStream {
        TerraformEventStream(events: runner.events(for: command(arguments)), decodesUI: decodesUI)
    }

    private func capture(_ arguments: [String]) async throws -> ProcessResult {
        let result: ProcessResult
        do {
            // These commands only read (a plan file, the state, the version); minutes mean a hang.
            result = try await runner.run(command(arguments, timeout: .seconds(300)))
        } catch let error as ProcessError {
            throw ProvisionError(.toolNotFound, error.message)
        }
        guard result.exit.succeeded else {
            let detail = result.standardError.filter { !$0.isEmpty }.suffix(5).joined(separator: " ")
            throw ProvisionError(
                .toolFailed,
                "terraform \(arguments.first ?? "") failed (\(result.exit.status))" + (detail.isEmpty ? "" : ": \(detail)")
            )
        }
        return result
    }
}
