/// One ``RolloutEvent`` as data: what a rollout run's `rollout` events carry in the event log, in
/// `gw-cli --json` output and over the REST front's event stream. Which fields are set depends on
/// ``kind``; ``message`` always says it in a sentence.
public struct RolloutProgress: Sendable, Equatable, Codable {
    /// What happened.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A launch template version with the new AMI was created.
        case launchTemplateVersionCreated = "launch-template-version-created"
        /// An instance refresh started.
        case refreshStarted = "refresh-started"
        /// A look at the refresh and the target health.
        case progress
        /// The healthy share of the group is below the bar.
        case healthBelowBar = "health-below-bar"
        /// The rollout is being rolled back.
        case rollingBack = "rolling-back"
    }

    public var kind: Kind
    /// The launch template version created, or the one a refresh moves to.
    public var launchTemplateVersion: String?
    /// The version the new one was created from.
    public var sourceVersion: String?
    /// The AMI of a created version.
    public var imageID: String?
    /// The instance refresh started.
    public var refreshID: String?
    /// The refresh's status (`Pending`, `InProgress`, `Baking`, `Successful`, ...).
    public var status: String?
    public var percentComplete: Int?
    public var healthyTargets: Int?
    public var desiredCapacity: Int?
    /// The healthy share in percent, and the bar (``RolloutProgress/Kind/healthBelowBar``).
    public var healthyPercent: Int?
    public var minimumHealthyPercent: Int?
    /// How many looks in a row found health below the bar.
    public var consecutiveChecks: Int?
    /// Auto Scaling's status reason, or why the rollout rolls back.
    public var reason: String?
    /// The event in a sentence.
    public var message: String

    /// The data of `event`.
    public init(_ event: RolloutEvent) {
        message = event.description
        switch event {
        case .launchTemplateVersionCreated(let version, let imageID, let sourceVersion):
            kind = .launchTemplateVersionCreated
            launchTemplateVersion = version
            self.imageID = imageID
            self.sourceVersion = sourceVersion
        case .refreshStarted(let id, let targetVersion):
            kind = .refreshStarted
            refreshID = id
            launchTemplateVersion = targetVersion
        case .progress(let status, let percentComplete, let healthyTargets, let desiredCapacity, let reason):
            kind = .progress
            self.status = status
            self.percentComplete = percentComplete
            self.healthyTargets = healthyTargets
            self.desiredCapacity = desiredCapacity
            self.reason = reason
        case .healthBelowBar(let healthyPercent, let minimum, let consecutive):
            kind = .healthBelowBar
            self.healthyPercent = healthyPercent
            minimumHealthyPercent = minimum
            consecutiveChecks = consecutive
        case .rollingBack(let reason):
            kind = .rollingBack
            self.reason = reason
        }
    }
}
