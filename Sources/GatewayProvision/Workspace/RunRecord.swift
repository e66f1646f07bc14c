import Foundation

/// What a run does.
public enum RunAction: String, Sendable, Equatable, Codable, CaseIterable {
    /// Render the bundle and make a saved terraform plan for review.
    case plan
    /// Apply a reviewed plan (or plan and apply at once with auto-approve).
    case apply
    /// Destroy every resource of the deployment.
    case destroy
    /// Build the node image (AMI) with packer.
    case imageBuild = "ami-build"
    /// Roll an AMI out to the running fleet by instance refresh, rolling back on failure.
    case rollout
    /// Roll the fleet back: the refresh in progress, or to the AMI it ran before the last rollout.
    case rollback
}

/// Where a run is in its life.
public enum RunStatus: String, Sendable, Equatable, Codable, CaseIterable {
    /// In progress (or its owner died and nobody has noticed yet).
    case running
    /// Finished and did what it should.
    case succeeded
    /// Finished with an error.
    case failed
    /// Stopped on request (Ctrl-C, `gw-cli cancel`, API call).
    case canceled
    /// Its owner process died while it ran; found and marked by a later command.
    case interrupted

    /// `false` only for ``running``.
    public var isFinal: Bool { self != .running }
}

/// The record of one run, kept as `runs/<id>/run.json` in the deployment's workspace.
///
/// It never holds a secret value: the config is identified by its hash (computed over an encoding
/// in which secrets appear as references), plans by their summary of addresses and actions.
public struct RunRecord: Sendable, Equatable, Codable {
    /// The run's ID (see ``RunID``).
    public var id: String
    /// The deployment's name.
    public var deployment: String
    /// What the run does.
    public var action: RunAction
    /// Where the run is.
    public var status: RunStatus
    /// When the run started.
    public var startTime: Date
    /// When the run ended.
    public var endTime: Date?
    /// The process that runs it.
    public var owner: ProcessIdentity
    /// The tool process group currently running for it (so a later command can stop it if the
    /// owner dies); `nil` between steps.
    public var toolProcess: ProcessIdentity?
    /// The exit code of the last tool step.
    public var exitCode: Int32?
    /// SHA-256 of the config the run used (see ``ConfigFingerprint``).
    public var configHash: String
    /// Tool versions, e.g. `["terraform": "1.15.5"]`.
    public var toolVersions: [String: String]
    /// For plan runs (and auto-approved applies): what the plan does.
    public var planSummary: TerraformPlanSummary?
    /// For plan runs: what the plan plans (`nil` in records written before destroy plans, which
    /// planned changes).
    public var planMode: PlanMode?
    /// For plan runs: whether the plan has changes (exit 2 of `plan -detailed-exitcode`).
    public var planHasChanges: Bool?
    /// For plan runs: the digest of the state the plan was made against.
    public var stateDigest: String?
    /// For apply and destroy runs: the plan run that was applied.
    public var planRunID: String?
    /// For plan and apply runs: the AMI deployed; for image builds: the AMI built; for rollouts and
    /// rollbacks: the AMI the fleet runs at the end.
    public var amiID: String?
    /// Where ``amiID`` came from (`explicit`, `ami build RUN`, `config`, ...).
    public var amiSource: String?
    /// For image builds: the region of the AMI.
    public var amiRegion: String?
    /// For rollouts and rollbacks: the instance refresh that did it.
    public var refreshID: String?
    /// For rollouts and rollbacks: how the rollout ended, when it got that far.
    public var rollout: RolloutResult?
    /// A sentence about the outcome (the error for failed runs).
    public var message: String?

    /// Creates a record of a run that is starting now.
    public init(id: String, deployment: String, action: RunAction, owner: ProcessIdentity, configHash: String, startTime: Date = Date()) {
        self.id = id
        self.deployment = deployment
        self.action = action
        self.status = .running
        self.startTime = startTime
        self.owner = owner
        self.configHash = configHash
        self.toolVersions = [:]
    }

    /// The run time so far, or in total once ended.
    public var duration: TimeInterval {
        (endTime ?? Date()).timeIntervalSince(startTime)
    }
}
