import ArgumentParser
import Foundation
import GatewayCore
import GatewayProvision

/// What the AWS operation commands (`status`, `rollout`, `secrets`) share: loading the config and
/// building the AWS clients, with errors printed the same way.
enum DeploymentOperationsSupport {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// Loads `file`; prints its problems and fails when it cannot be read.
    static func load(_ file: String) throws -> GatewayConfig {
        do {
            return try ConfigLoader.load(file: file).config
        } catch {
            for problem in error.allProblems(environment: environment) {
                Terminal.error(problem.formatted(file: file))
            }
            throw ExitCode.failure
        }
    }

    static func clients(for config: GatewayConfig) throws -> DeploymentAWSClients {
        try DeploymentAWSClients(configuration: AWSConfiguration.deployment(config, environment: environment))
    }

    /// The AMI version record in the deployment's workspace (`--workspace-root`, else `GW_HOME`, else `~/.gateway`).
    static func store(for config: GatewayConfig, workspace: WorkspaceOptions) throws -> AMIVersionStore {
        try DeploymentContext.provision {
            try AMIVersionStore(config: config, root: WorkspaceRoot.resolve(explicit: workspace.workspaceRoot, environment: environment))
        }
    }

    /// Runs an operation; prints its error (never a secret: the library's errors carry none) and exits 1.
    static func run<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let exit as ExitCode {
            throw exit
        } catch let problems as ActionProblems {
            ActionRequestSupport.report(problems)
            throw ExitCode(2)
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode.failure
        }
    }

    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    static func describe(_ refresh: InstanceRefresh) -> String {
        var text = "instance refresh \(refresh.id): \(refresh.status)"
        if let percent = refresh.percentageComplete { text += " \(percent)%" }
        if let reason = refresh.statusReason { text += " (\(reason))" }
        return text
    }

    /// Runs a rollout or rollback as a recorded run of the deployment (it holds the deployment's
    /// lock): its steps on standard error, its result on standard output (JSON with `json`). Ctrl-C
    /// cancels the run, and with it the instance refresh in AWS. Fails unless the outcome is one of
    /// `successes`.
    static func rolloutRun(
        _ context: DeploymentContext, action: DeploymentAction, json: Bool, successes: Set<RolloutResult.Outcome>
    ) async throws {
        let operations = context.operations
        let record = try await run {
            try await RunInterruption.run(
                onInterrupt: { count in
                    Terminal.error(
                        count == 1
                            ? "canceling: the instance refresh is cancelled in AWS too (instances already replaced stay)"
                            : "still canceling")
                }
            ) {
                try await operations.run(action) { event in
                    switch event.type {
                    case .runStarted: Terminal.error("run \(event.run): \(event.message ?? "")")
                    case .notice: Terminal.error("note: \(event.message ?? "")")
                    case .rollout: if let rollout = event.rollout { Terminal.error(rollout.message) }
                    default: break
                    }
                }
            }
        }
        guard let result = record.rollout else {
            Terminal.error("error: \(record.message ?? "the \(record.action.rawValue) did not finish") (run \(record.id))")
            throw ExitCode.failure
        }
        Terminal.out(json ? Self.json(result) : result.description)
        if !successes.contains(result.outcome) { throw ExitCode.failure }
    }
}

/// `--min-healthy`, `--checkpoints` and the watch loop's pace, shared by `rollout` and `rollout rollback`.
struct RolloutWatchOptions: ParsableArguments {
    @Option(help: "Share of the group that must stay healthy (0-100); default: rollout.minHealthyPercentage.")
    var minHealthy: Int?

    @Option(help: "Checkpoint percentages, e.g. 33,66,100; default: rollout.checkpoints.")
    var checkpoints: String?

    @Option(help: "Seconds between two looks at the refresh and the target health (0.01-3600; default 15).")
    var pollSeconds: Double?

    @Option(help: "Minutes to watch before giving up (1-10080; default 360; the refresh goes on in AWS).")
    var timeoutMinutes: Int?

    /// The request of `action` with these options; `--checkpoints` that are not whole numbers are
    /// reported with the library's checkpoint problem (exit status 2).
    func request(_ action: RunAction, ami: String? = nil) throws -> DeploymentActionRequest {
        var parsed: [Int]?
        if let checkpoints {
            guard let list = RolloutCheckpoints.parse(checkpoints) else {
                ActionRequestSupport.report(
                    ActionProblems([
                        ActionProblem(
                            .invalidCheckpoints, .checkpoints, "\"\(checkpoints)\" is not a list of whole percentages", hint: RolloutCheckpoints.hint)
                    ]))
                throw ExitCode(2)
            }
            parsed = list
        }
        return DeploymentActionRequest(
            action, amiId: ami, minHealthy: minHealthy, checkpoints: parsed, pollSeconds: pollSeconds, timeoutMinutes: timeoutMinutes)
    }
}
