/// What a step needs while checking and applying: the tree it works on, the command runner, the
/// resolved secrets, the environment for commands, the wait limits and the apply's journal.
public struct StepContext: Sendable {
    /// The tree being configured.
    public var root: HostRoot
    /// Runs commands.
    public var runner: any CommandRunning
    /// Secret values by config field, resolved before the first step.
    public var secrets: ResolvedSecrets
    /// Variables added to every command's environment (e.g. `SYSTEMD_CREDENTIAL_SECRET`).
    public var commandEnvironment: [String: String]
    /// How long waits last and how often they check.
    public var waits: WaitPolicy
    /// What this apply changed so far.
    public var journal: ApplyJournal

    /// Creates a context.
    public init(
        root: HostRoot, runner: any CommandRunning, secrets: ResolvedSecrets = ResolvedSecrets(), commandEnvironment: [String: String] = [:], waits: WaitPolicy = WaitPolicy(),
        journal: ApplyJournal = ApplyJournal()
    ) {
        self.root = root
        self.runner = runner
        self.secrets = secrets
        self.commandEnvironment = commandEnvironment
        self.waits = waits
        self.journal = journal
    }

    /// Runs a command and returns its output whatever its exit status.
    public func probe(_ argv: [String], redacting: [String] = []) async throws -> CommandOutput {
        try await runner.run(argv, environment: commandEnvironment, redacting: redacting, timeout: waits.commandTimeout)
    }

    /// Runs a command and throws ``StepError/commandFailed(argv:termination:standardError:)`` unless it
    /// succeeds.
    @discardableResult
    public func require(_ argv: [String], redacting: [String] = []) async throws -> CommandOutput {
        let output = try await probe(argv, redacting: redacting)
        guard output.succeeded else {
            throw StepError.commandFailed(argv: argv, termination: output.termination, standardError: output.standardError)
        }
        return output
    }
}

/// Limits of the runtime's waits and commands.
public struct WaitPolicy: Sendable, Equatable {
    /// Until a LucidLink unit is active.
    public var unitActive: Duration
    /// Until a LucidLink client reports it is linked.
    public var linked: Duration
    /// Until a filespace mount point is a live mount.
    public var mounted: Duration
    /// Time between checks.
    public var pollInterval: Duration
    /// The longest a single command may run.
    public var commandTimeout: Duration

    /// Creates a policy; the defaults suit an instance at boot.
    public init(unitActive: Duration = .seconds(60), linked: Duration = .seconds(180), mounted: Duration = .seconds(60), pollInterval: Duration = .seconds(2), commandTimeout: Duration = .seconds(600))
    {
        self.unitActive = unitActive
        self.linked = linked
        self.mounted = mounted
        self.pollInterval = pollInterval
        self.commandTimeout = commandTimeout
    }
}
