/// Rolling AMI updates through ASG instance refresh.
public struct RolloutSettings: Codable, Sendable, Equatable {
    /// Minimum healthy percentage of the group during a refresh.
    public var minHealthyPercentage: Int
    /// Checkpoint percentages: distinct, 1-100, taken in ascending order with 100 added when missing.
    public var checkpoints: [Int]
    /// Seconds to wait at each checkpoint while health is watched.
    public var checkpointDelaySeconds: Int
    /// Seconds a new instance needs before it counts as in service.
    public var instanceWarmupSeconds: Int
    /// Roll back automatically when the refresh fails or health drops below the bar.
    public var autoRollback: Bool

    /// Creates rollout settings with the defaults.
    public init(
        minHealthyPercentage: Int = 90,
        checkpoints: [Int] = [33, 66, 100],
        checkpointDelaySeconds: Int = 300,
        instanceWarmupSeconds: Int = 300,
        autoRollback: Bool = true
    ) {
        self.minHealthyPercentage = minHealthyPercentage
        self.checkpoints = checkpoints
        self.checkpointDelaySeconds = checkpointDelaySeconds
        self.instanceWarmupSeconds = instanceWarmupSeconds
        self.autoRollback = autoRollback
    }
}
