import GatewayCore

/// An action on a deployment as a front received it, before any rule is applied: the kind and
/// every option as given (`nil` when not given).
///
/// ``validated(deployment:)`` is the one validation of actions: both fronts build a request from
/// their input (flags, a JSON body) and run it through here, so the same input is accepted or
/// refused the same way, with the same ``ActionProblem`` codes.
public struct DeploymentActionRequest: Sendable, Equatable {
    /// The kind of action.
    public var action: RunAction
    /// ``ActionOption/amiId``.
    public var amiId: String?
    /// ``ActionOption/planRun``.
    public var planRun: String?
    /// ``ActionOption/autoApprove``; `false` is the same as not given.
    public var autoApprove: Bool?
    /// ``ActionOption/confirm``.
    public var confirm: String?
    /// ``ActionOption/destroy``; `false` is the same as not given.
    public var destroy: Bool?
    /// ``ActionOption/minHealthy``.
    public var minHealthy: Int?
    /// ``ActionOption/checkpoints``.
    public var checkpoints: [Int]?
    /// ``ActionOption/pollSeconds``.
    public var pollSeconds: Double?
    /// ``ActionOption/timeoutMinutes``.
    public var timeoutMinutes: Int?
    /// ``ActionOption/nodeBinary``.
    public var nodeBinary: String?

    /// The bounds of ``minHealthy``, in percent.
    public static let minHealthyRange = 0...100
    /// The bounds of ``pollSeconds``.
    public static let pollSecondsRange = 0.01...3600.0
    /// The bounds of ``timeoutMinutes`` (a week at most).
    public static let timeoutMinutesRange = 1...10_080

    /// Creates a request.
    public init(
        _ action: RunAction, amiId: String? = nil, planRun: String? = nil, autoApprove: Bool? = nil, confirm: String? = nil,
        destroy: Bool? = nil, minHealthy: Int? = nil, checkpoints: [Int]? = nil, pollSeconds: Double? = nil,
        timeoutMinutes: Int? = nil, nodeBinary: String? = nil
    ) {
        self.action = action
        self.amiId = amiId
        self.planRun = planRun
        self.autoApprove = autoApprove
        self.confirm = confirm
        self.destroy = destroy
        self.minHealthy = minHealthy
        self.checkpoints = checkpoints
        self.pollSeconds = pollSeconds
        self.timeoutMinutes = timeoutMinutes
        self.nodeBinary = nodeBinary
    }

    /// The options this kind of action takes.
    public static func options(of action: RunAction) -> Set<ActionOption> {
        switch action {
        case .plan: [.amiId, .destroy]
        case .apply: [.planRun, .autoApprove, .amiId]
        case .destroy: [.planRun, .autoApprove, .confirm]
        case .imageBuild: [.nodeBinary]
        case .rollout: [.amiId, .minHealthy, .checkpoints, .pollSeconds, .timeoutMinutes]
        case .rollback: [.minHealthy, .pollSeconds, .timeoutMinutes]
        }
    }

    /// The options that were given (a `false` flag counts as not given).
    public var givenOptions: [ActionOption] {
        var given: [ActionOption] = []
        if amiId != nil { given.append(.amiId) }
        if planRun != nil { given.append(.planRun) }
        if autoApprove == true { given.append(.autoApprove) }
        if confirm != nil { given.append(.confirm) }
        if destroy == true { given.append(.destroy) }
        if minHealthy != nil { given.append(.minHealthy) }
        if checkpoints != nil { given.append(.checkpoints) }
        if pollSeconds != nil { given.append(.pollSeconds) }
        if timeoutMinutes != nil { given.append(.timeoutMinutes) }
        if nodeBinary != nil { given.append(.nodeBinary) }
        return given
    }

    /// Every problem of the request on deployment `deployment`; empty when it can run.
    public func problems(deployment: String) -> [ActionProblem] {
        switch validated(deployment: deployment) {
        case .success: []
        case .failure(let error): error.problems
        }
    }

    /// The action, or every problem that keeps it from running on deployment `deployment`.
    public func validated(deployment: String) -> Result<DeploymentAction, ActionProblems> {
        var problems: [ActionProblem] = []
        let allowed = Self.options(of: action)
        for option in givenOptions where !allowed.contains(option) {
            problems.append(
                ActionProblem(
                    .optionNotAllowed, option, "\(action.rawValue) does not take this option",
                    hint: "\(action.rawValue) takes \(Self.list(allowed))"))
        }
        let ami = amiId.flatMap { text -> AMIID? in
            guard let id = AMIID(text) else {
                problems.append(ActionProblem(.invalidAMIID, .amiId, "\(Self.quoted(text)) is not an AMI ID", hint: "use \(AMIID.shape)"))
                return nil
            }
            return id
        }
        if let planRun, !RunID.isValid(planRun) {
            problems.append(
                ActionProblem(
                    .invalidRunID, .planRun, "\(Self.quoted(planRun)) is not a run ID",
                    hint: "use the ID of a plan run, e.g. 20261127T095018Z-3fa2c1 (the list of runs shows them)"))
        }
        if let minHealthy, !Self.minHealthyRange.contains(minHealthy) {
            problems.append(ActionProblem(.outOfRange, .minHealthy, "\(minHealthy) is out of range", hint: "give 0 to 100 (percent of the group)"))
        }
        if let checkpoints, let problem = RolloutCheckpoints.problem(checkpoints) {
            problems.append(ActionProblem(.invalidCheckpoints, .checkpoints, problem, hint: RolloutCheckpoints.hint))
        }
        if let pollSeconds, !(pollSeconds.isFinite && Self.pollSecondsRange.contains(pollSeconds)) {
            problems.append(ActionProblem(.outOfRange, .pollSeconds, "\(pollSeconds) is out of range", hint: "give 0.01 to 3600 seconds"))
        }
        if let timeoutMinutes, !Self.timeoutMinutesRange.contains(timeoutMinutes) {
            problems.append(ActionProblem(.outOfRange, .timeoutMinutes, "\(timeoutMinutes) is out of range", hint: "give 1 to 10080 minutes (a week)"))
        }
        if let nodeBinary, !nodeBinary.hasPrefix("/") {
            problems.append(
                ActionProblem(
                    .relativePath, .nodeBinary, "\(Self.quoted(nodeBinary)) is not an absolute path",
                    hint: "give the absolute path of the self-contained node binary (scripts/build-node-binary.sh makes one)"))
        }
        if let confirm, confirm != deployment {
            problems.append(
                ActionProblem(
                    .confirmationMismatch, .confirm, "\(Self.quoted(confirm)) does not name the deployment",
                    hint: "type the deployment's name, \(deployment), to confirm"))
        }
        let reviewed = planRun != nil
        let unreviewed = autoApprove == true
        switch action {
        case .apply, .destroy:
            if reviewed, unreviewed {
                problems.append(
                    ActionProblem(
                        .conflictingOptions, .autoApprove, "a reviewed plan and auto-approve exclude each other",
                        hint: "give either the plan run to apply or auto-approve, not both"))
            } else if !reviewed, !unreviewed {
                let noun = action == .destroy ? "destroy plan" : "plan"
                problems.append(
                    ActionProblem(
                        .missingOption, .planRun, "\(action.rawValue) needs a reviewed \(noun)",
                        hint: "make one with the plan action\(action == .destroy ? " in destroy mode" : "") and give its run ID, or give auto-approve to \(action.rawValue) without review"))
            }
            if action == .apply, reviewed, amiId != nil {
                problems.append(
                    ActionProblem(
                        .conflictingOptions, .amiId, "a saved plan already names its AMI",
                        hint: "make a new plan with this AMI, or give it with auto-approve"))
            }
            if action == .destroy, unreviewed, confirm == nil {
                problems.append(
                    ActionProblem(
                        .missingOption, .confirm, "destroying without a reviewed plan needs the typed confirmation",
                        hint: "type the deployment's name, \(deployment), to confirm"))
            }
        case .plan:
            if destroy == true, amiId != nil {
                problems.append(
                    ActionProblem(
                        .conflictingOptions, .amiId, "a destroy plan deploys no AMI", hint: "leave the AMI out of a destroy plan"))
            }
        case .rollout:
            if amiId == nil {
                problems.append(ActionProblem(.missingOption, .amiId, "rollout needs the AMI to roll out", hint: "give \(AMIID.shape)"))
            }
        case .imageBuild, .rollback:
            break
        }
        guard problems.isEmpty else { return .failure(ActionProblems(problems)) }
        let overrides = RolloutOverrides(
            minHealthyPercentage: minHealthy, checkpoints: checkpoints,
            pollInterval: pollSeconds.map { .milliseconds(Int64(($0 * 1000).rounded())) },
            timeout: timeoutMinutes.map { .seconds($0 * 60) })
        switch action {
        case .plan:
            return .success(.plan(mode: destroy == true ? .destroy : .apply, amiID: ami))
        case .apply:
            let selection: ApplySelection = planRun.map { .savedPlan(runID: $0) } ?? .autoApprove(amiID: ami?.rawValue)
            return .success(.apply(selection))
        case .destroy:
            let selection: DestroySelection = planRun.map { .savedPlan(runID: $0) } ?? .autoApprove(confirmation: confirm ?? "")
            return .success(.destroy(selection))
        case .imageBuild:
            return .success(.buildImage(nodeBinary: nodeBinary))
        case .rollout:
            guard let ami else { return .failure(ActionProblems([])) }
            return .success(.rollout(amiID: ami, overrides))
        case .rollback:
            return .success(.rollback(overrides))
        }
    }

    private static func list(_ options: Set<ActionOption>) -> String {
        let names = ActionOption.allCases.filter(options.contains).map(\.rawValue)
        return names.isEmpty ? "no options" : names.joined(separator: ", ")
    }

    /// Quotes user input for a message, shortened and with control characters escaped.
    private static func quoted(_ text: String) -> String {
        let short = text.count > 80 ? String(text.prefix(80)) + "..." : text
        let escaped = short.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined()
        return "\"\(escaped)\""
    }
}
