import Foundation
import GatewayCore

/// Applies a plan: first resolves every secret and finds every program it needs (so bad input stops it
/// before anything changes), then runs each step that is not already done, re-checking it afterwards.
/// The first failure stops the apply; what was done stays done.
public struct NodeApplier: Sendable {
    /// What happens during an apply, for progress output.
    public enum Event: Sendable {
        /// The step was already done and was skipped.
        case skipped(NodeStep)
        /// The step is being applied.
        case applying(NodeStep)
        /// The step was applied and its check now passes.
        case applied(NodeStep)
    }

    private let runner: any CommandRunning
    private let root: HostRoot
    private let resolver: SecretResolver
    private let commandEnvironment: [String: String]
    private let waits: WaitPolicy

    /// Creates an applier.
    /// - Parameters:
    ///   - runner: Runs the commands.
    ///   - root: The tree to configure.
    ///   - resolver: Resolves the secrets (with the AWS parameter store on an instance).
    ///   - commandEnvironment: Variables added to every command's environment.
    ///   - waits: Limits of the waits.
    public init(runner: any CommandRunning, root: HostRoot = .system, resolver: SecretResolver = SecretResolver(), commandEnvironment: [String: String] = [:], waits: WaitPolicy = WaitPolicy()) {
        self.runner = runner
        self.root = root
        self.resolver = resolver
        self.commandEnvironment = commandEnvironment
        self.waits = waits
    }

    /// Applies the plan.
    /// - Parameter onEvent: Called as steps are skipped, started and finished.
    /// - Returns: The ids of the applied and the skipped steps.
    /// - Throws: ``NodeInputError`` before anything changed; ``NodeApplyError`` when a step fails.
    @discardableResult
    public func apply(_ plan: NodePlan, onEvent: @Sendable (Event) -> Void = { _ in }) async throws -> ApplyReport {
        let secrets = try await resolveSecrets(plan.secrets)
        try checkPrograms(plan)
        let context = StepContext(root: root, runner: runner, secrets: secrets, commandEnvironment: commandEnvironment, waits: waits)
        var report = ApplyReport()
        for step in plan.steps {
            do {
                if try await step.isDone(in: context) {
                    report.skipped.append(step.id)
                    onEvent(.skipped(step))
                    continue
                }
                onEvent(.applying(step))
                try await step.apply(in: context)
                guard try await step.isDone(in: context) else {
                    throw StepError.conflict(message: "the step ran without error but its check still fails", hint: "inspect the machine; the check is part of the plan output")
                }
                report.applied.append(step.id)
                onEvent(.applied(step))
            } catch let error as StepError {
                throw NodeApplyError(step: step.id, title: step.title, failure: error, report: report)
            } catch let error as CommandLaunchError {
                throw NodeApplyError(step: step.id, title: step.title, failure: .commandFailed(argv: error.argv, termination: error.reason, standardError: ""), report: report)
            }
        }
        return report
    }

    private func resolveSecrets(_ requirements: [SecretRequirement]) async throws(NodeInputError) -> ResolvedSecrets {
        var values: [String: String] = [:]
        var problems: [ConfigProblem] = []
        for requirement in requirements {
            do {
                values[requirement.field] = try await resolver.resolve(requirement.secret, field: requirement.field)
            } catch let error as SecretError {
                problems.append(ConfigProblem(path: error.field, message: error.problem, hint: error.hint))
            } catch {
                problems.append(ConfigProblem(path: requirement.field, message: "could not be resolved: \(error)", hint: "check the secret's reference"))
            }
        }
        guard problems.isEmpty else { throw NodeInputError(problems: problems) }
        return ResolvedSecrets(values)
    }

    private func checkPrograms(_ plan: NodePlan) throws(NodeInputError) {
        var programs: [String] = []
        for step in plan.steps {
            for operation in step.operations {
                switch operation {
                case .run(let argv), .computed(_, let argv):
                    if let program = argv.first, !programs.contains(program) { programs.append(program) }
                default: continue
                }
            }
        }
        let missing = programs.filter { ProcessCommandRunner.locate($0) == nil }
        guard !missing.isEmpty else { return }
        throw NodeInputError(
            problems: missing.map { program in
                ConfigProblem(path: "", message: "the program \(program) is needed but not installed", hint: Self.installHint(program))
            })
    }

    static func installHint(_ program: String) -> String {
        switch (program as NSString).lastPathComponent {
        case "mdadm": "install the mdadm package"
        case "mkfs.xfs": "install the xfsprogs package"
        case "mkfs.ext4": "install the e2fsprogs package"
        case "systemd-creds", "systemctl": "this needs systemd 250 or later"
        case "lucid2", "lucid3": "install the LucidLink client (the image build does this)"
        default: "install it or fix PATH"
        }
    }
}

/// The steps an apply ran and skipped.
public struct ApplyReport: Sendable, Equatable {
    /// Steps applied, in order.
    public var applied: [String] = []
    /// Steps that were already done.
    public var skipped: [String] = []

    /// Creates an empty report.
    public init() {}
}

/// A step failed; the apply stopped there. Steps before it stay done.
public struct NodeApplyError: Error, Sendable, CustomStringConvertible {
    /// The failed step's id.
    public var step: String
    /// The failed step's title.
    public var title: String
    /// What went wrong (the command, its exit status and its standard error, for commands).
    public var failure: StepError
    /// What was applied and skipped before the failure.
    public var report: ApplyReport

    public var description: String { "step \(step) (\(title)) failed: \(failure)" }
}
