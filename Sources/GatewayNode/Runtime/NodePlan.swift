import GatewayCore

/// The ordered steps that set up a node, with what the planner found out along the way.
public struct NodePlan: Sendable {
    /// The steps in order.
    public var steps: [NodeStep]
    /// Findings about the machine (chosen devices, skipped devices, fallbacks).
    public var notes: [String]
    /// Secrets the steps need, resolved before the first step runs.
    public var secrets: [SecretRequirement]

    /// Creates a plan.
    public init(steps: [NodeStep] = [], notes: [String] = [], secrets: [SecretRequirement] = []) {
        self.steps = steps
        self.notes = notes
        self.secrets = secrets
    }

    /// Appends another plan's steps, notes and secrets.
    public mutating func append(_ other: NodePlan) {
        steps += other.steps
        notes += other.notes
        for requirement in other.secrets where !secrets.contains(where: { $0.field == requirement.field }) {
            secrets.append(requirement)
        }
    }
}

/// A secret a plan needs: its config field and its reference.
public struct SecretRequirement: Sendable, Equatable {
    /// The config field, e.g. `filespaces[0].password`.
    public var field: String
    /// The reference.
    public var secret: Secret

    /// Creates a requirement.
    public init(field: String, secret: Secret) {
        self.field = field
        self.secret = secret
    }
}
