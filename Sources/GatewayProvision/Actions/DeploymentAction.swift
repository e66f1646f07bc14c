import GatewayCore

/// A validated action on one deployment, ready for ``DeploymentOperations/run(_:onEvent:)``.
///
/// Fronts do not build these directly: they fill a ``DeploymentActionRequest`` from their input and
/// validate it, so that every front applies the same rules.
public enum DeploymentAction: Sendable, Equatable {
    /// Render the bundle and save a plan for review: of the changes (deploying `amiID` when given),
    /// or of destroying everything.
    case plan(mode: PlanMode, amiID: AMIID?)
    /// Apply a reviewed plan, or plan and apply at once.
    case apply(ApplySelection)
    /// Destroy every resource: a reviewed destroy plan, or at once after a typed confirmation.
    case destroy(DestroySelection)
    /// Build the node image, installing `nodeBinary` (an absolute path; `nil` for the running gw-cli).
    case buildImage(nodeBinary: String?)
    /// Roll `amiID` out to the fleet.
    case rollout(amiID: AMIID, RolloutOverrides)
    /// Roll the fleet back.
    case rollback(RolloutOverrides)

    /// The kind of run the action makes.
    public var kind: RunAction {
        switch self {
        case .plan: .plan
        case .apply: .apply
        case .destroy: .destroy
        case .buildImage: .imageBuild
        case .rollout: .rollout
        case .rollback: .rollback
        }
    }
}

/// What a plan plans.
public enum PlanMode: String, Sendable, Equatable, Codable, CaseIterable {
    /// The changes that bring the infrastructure to the config.
    case apply
    /// Destroying every resource of the deployment.
    case destroy
}

/// What `destroy` destroys with.
public enum DestroySelection: Sendable, Equatable {
    /// The saved destroy plan of a plan run that was reviewed.
    case savedPlan(runID: String)
    /// Destroy at once, without a reviewed plan; `confirmation` must be the deployment's name.
    case autoApprove(confirmation: String)
}

/// A rollout's or rollback's options that override the config's `rollout` settings.
public struct RolloutOverrides: Sendable, Equatable {
    /// Share of the group that must stay healthy, in percent (0-100).
    public var minHealthyPercentage: Int?
    /// Checkpoint percentages (the ``RolloutCheckpoints`` rule).
    public var checkpoints: [Int]?
    /// Time between two looks at the refresh and the target health.
    public var pollInterval: Duration?
    /// How long to watch the refresh before giving up (it goes on in AWS).
    public var timeout: Duration?

    /// Creates overrides; `nil` keeps the default.
    public init(minHealthyPercentage: Int? = nil, checkpoints: [Int]? = nil, pollInterval: Duration? = nil, timeout: Duration? = nil) {
        self.minHealthyPercentage = minHealthyPercentage
        self.checkpoints = checkpoints
        self.pollInterval = pollInterval
        self.timeout = timeout
    }
}
