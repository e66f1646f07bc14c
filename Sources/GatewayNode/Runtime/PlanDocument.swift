/// A plan as data, for `--json` output: each step's id, phase, title, exact operations and notes.
public struct PlanDocument: Encodable, Sendable {
    /// One step.
    public struct Step: Encodable, Sendable {
        /// Position, from 1.
        public var number: Int
        /// Step id.
        public var id: String
        /// Phase.
        public var phase: NodePhase
        /// Title.
        public var title: String
        /// Exact operations.
        public var operations: [StepOperation]
        /// Remarks.
        public var notes: [String]
    }

    /// The deployment name.
    public var deployment: String
    /// The configured tree.
    public var root: String
    /// Findings.
    public var notes: [String]
    /// The steps.
    public var steps: [Step]
    /// The config fields of the secrets the apply resolves.
    public var secrets: [String]

    /// Describes a plan.
    public init(plan: NodePlan, deployment: String, root: HostRoot) {
        self.deployment = deployment
        self.root = root.directory
        notes = plan.notes
        steps = plan.steps.enumerated().map { index, step in
            Step(number: index + 1, id: step.id, phase: step.phase, title: step.title, operations: step.operations, notes: step.notes)
        }
        secrets = plan.secrets.map { "\($0.field) (\($0.secret.redactedReference))" }
    }
}
