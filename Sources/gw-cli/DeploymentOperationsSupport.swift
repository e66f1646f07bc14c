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
        _ context: DeploymentContext, json: Bool, successes: Set<RolloutResult.Outcome>,
        _ operation: @escaping @Sendable (DeploymentOperations, @escaping RunEventHandler) async throws -> RunRecord
    ) async throws {
        let operations = context.operations
        let record = try await DeploymentContext.provision {
            try await RunInterruption.run(
                onInterrupt: { count in
                    Terminal.error(count == 1
                        ? "canceling: the instance refresh is cancelled in AWS too (instances already replaced stay)"
                        : "still canceling")
                }
            ) {
                try await operation(operations) { event in
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

    @Option(help: "Seconds between two looks at the refresh and the target health.")
    var pollSeconds: Double = 15

    @Option(help: "Minutes to watch before giving up (the refresh goes on in AWS).")
    var timeoutMinutes: Int = 360

    func options(config: GatewayConfig, imageID: String) throws -> RolloutOptions {
        var parsedCheckpoints: [Int]?
        if let checkpoints {
            let parts = checkpoints.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
                throw ValidationError("--checkpoints \(checkpoints) is not a list of whole percentages: use e.g. 33,66,100")
            }
            parsedCheckpoints = parts.compactMap { $0 }
        }
        guard pollSeconds > 0, pollSeconds <= 3600 else { throw ValidationError("--poll-seconds must be between 0 and 3600") }
        guard timeoutMinutes > 0 else { throw ValidationError("--timeout-minutes must be positive") }
        let options = RolloutOptions(
            config: config, imageID: imageID, minHealthyPercentage: minHealthy, checkpoints: parsedCheckpoints,
            pollInterval: .milliseconds(Int64(pollSeconds * 1000)), timeout: .seconds(timeoutMinutes * 60))
        if let problem = options.problems().first(where: { !$0.hasPrefix("--ami") || !imageID.isEmpty }) {
            throw ValidationError(problem)
        }
        return options
    }
}
