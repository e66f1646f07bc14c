import Foundation
import GatewayCore

/// How a rollout runs: the AMI, the health bar, checkpoints, and how the watch loop behaves.
public struct RolloutOptions: Sendable, Equatable {
    /// The AMI to roll out.
    public var imageID: String
    /// Share of the desired capacity that must stay healthy (0-100): passed to Auto Scaling, and the bar
    /// under which the watch loop rolls back.
    public var minHealthyPercentage: Int
    /// Checkpoint percentages (ascending, ending at 100: see ``RolloutCheckpoints``); empty for none.
    public var checkpoints: [Int]
    public var checkpointDelaySeconds: Int
    public var instanceWarmupSeconds: Int
    /// Roll back when the refresh fails or health stays below the bar.
    public var autoRollback: Bool
    /// Time between two looks at the refresh and the target health.
    public var pollInterval: Duration
    /// Consecutive looks below the bar before rolling back (a single dip while instances swap is normal).
    public var unhealthyPollsBeforeRollback: Int
    /// How long the watch loop waits for the refresh to end.
    public var timeout: Duration

    /// Options from the deployment's `rollout` settings, with overrides.
    public init(
        config: GatewayConfig, imageID: String, minHealthyPercentage: Int? = nil, checkpoints: [Int]? = nil,
        pollInterval: Duration = .seconds(15), unhealthyPollsBeforeRollback: Int = 3, timeout: Duration = .seconds(6 * 3600)
    ) {
        self.imageID = imageID
        self.minHealthyPercentage = minHealthyPercentage ?? config.rollout.minHealthyPercentage
        self.checkpoints = RolloutCheckpoints.normalized(checkpoints ?? config.rollout.checkpoints)
        checkpointDelaySeconds = config.rollout.checkpointDelaySeconds
        instanceWarmupSeconds = config.rollout.instanceWarmupSeconds
        autoRollback = config.rollout.autoRollback
        self.pollInterval = pollInterval
        self.unhealthyPollsBeforeRollback = max(1, unhealthyPollsBeforeRollback)
        self.timeout = timeout
    }

    /// Problems with the options, each with the option concerned and how to fix it (the rules of
    /// ``DeploymentActionRequest``).
    public func problems() -> [ActionProblem] {
        DeploymentActionRequest(
            .rollout, amiId: imageID, minHealthy: minHealthyPercentage, checkpoints: checkpoints.isEmpty ? nil : checkpoints
        ).problems(deployment: "")
    }
}

/// What the watch loop reports while a rollout runs.
public enum RolloutEvent: Sendable, Equatable {
    case launchTemplateVersionCreated(version: String, imageID: String, sourceVersion: String)
    case refreshStarted(id: String, targetVersion: String)
    case progress(status: String, percentComplete: Int?, healthyTargets: Int, desiredCapacity: Int, reason: String?)
    case healthBelowBar(healthyPercent: Int, minimum: Int, consecutive: Int)
    case rollingBack(reason: String)
}

extension RolloutEvent: CustomStringConvertible {
    /// The event in a sentence, for people.
    public var description: String {
        switch self {
        case .launchTemplateVersionCreated(let version, let image, let source):
            "launch template version \(version) created from version \(source) with \(image)"
        case .refreshStarted(let id, let version):
            "instance refresh \(id) started towards launch template version \(version)"
        case .progress(let status, let percent, let healthy, let desired, let reason):
            "\(status)\(percent.map { " \($0)%" } ?? ""): \(healthy)/\(desired) targets healthy" + (reason.map { " (\($0))" } ?? "")
        case .healthBelowBar(let percent, let minimum, let consecutive):
            "health \(percent)% is below the \(minimum)% bar (check \(consecutive))"
        case .rollingBack(let reason):
            "rolling back: \(reason)"
        }
    }
}

/// How a rollout (or rollback) ended.
public struct RolloutResult: Sendable, Equatable, Codable {
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        case succeeded
        case rolledBack = "rolled-back"
        case failed
        case cancelled
        case unchanged
    }

    public let outcome: Outcome
    public let refreshID: String?
    /// The AMI and launch template version the group runs now (as far as the rollout knows).
    public let imageID: String?
    public let launchTemplateVersion: String?
    public let reason: String?
}

extension RolloutResult: CustomStringConvertible {
    /// The outcome in a sentence, for people.
    public var description: String {
        var text: String
        switch outcome {
        case .succeeded: text = "rollout succeeded"
        case .rolledBack: text = "rolled back"
        case .failed: text = "rollout failed"
        case .cancelled: text = "rollout cancelled"
        case .unchanged: text = "nothing to do"
        }
        if let image = imageID, let version = launchTemplateVersion {
            text += ": the group runs \(image) (launch template version \(version))"
        }
        if let reason { text += "; \(reason)" }
        return text
    }
}

/// A deployment's rollout state: the latest instance refresh and the AMI version record.
public struct RolloutStatus: Sendable, Equatable, Codable {
    public let autoScalingGroup: String
    public let latestRefresh: InstanceRefresh?
    public let record: AMIVersionRecord
}
