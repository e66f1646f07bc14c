import Foundation
import GatewayCore
import Logging

/// Blue/green AMI updates by rolling instance refresh: a new launch template version with the AMI, a
/// refresh with checkpoints, a watch loop over the refresh state and the target group's health, and a
/// rollback to the previous launch template version when the refresh fails or health stays below the bar.
/// Every rollout, rollback and cancel is recorded in the deployment's `AMIVersionRecord`.
public struct RolloutController: Sendable {
    private let clients: DeploymentAWSClients
    private let store: AMIVersionStore
    private let logger: Logger

    public init(clients: DeploymentAWSClients, store: AMIVersionStore, logger: Logger = Logger(label: "gateway.rollout")) {
        self.clients = clients
        self.store = store
        self.logger = logger
    }

    /// Rolls `options.imageID` out to the deployment's group and watches it to the end.
    public func start(
        _ config: GatewayConfig, options: RolloutOptions, progress: @Sendable (RolloutEvent) -> Void = { _ in }
    ) async throws -> RolloutResult {
        let problems = options.problems()
        if !problems.isEmpty { throw ActionProblems(problems) }
        let names = config.names
        let group = try await clients.group(named: names.autoScalingGroup)
        guard let templateID = group.launchTemplate?.id else {
            throw OperationError("the Auto Scaling group \(group.name) has no launch template", hint: "apply the rendered deployment, which uses one")
        }
        if let active = try await clients.autoScaling.describeInstanceRefreshes(groupName: group.name).first, !active.isFinished {
            throw OperationError(
                "instance refresh \(active.id) is already \(active.status) on \(group.name)",
                hint: "wait for it, or cancel or roll back the rollout")
        }
        let images: [EC2Client.Image]
        do {
            images = try await clients.ec2.describeImages(imageIDs: [options.imageID])
        } catch let error as AWSError where error.code.hasPrefix("InvalidAMIID") {
            images = []
        }
        guard images.contains(where: { $0.imageID == options.imageID }) else {
            throw OperationError(
                "AMI \(options.imageID) does not exist in \(clients.configuration.region)",
                hint: "build one (the ami-build action), or copy it to this region")
        }
        let currentSpec = group.launchTemplate?.version ?? "$Default"
        guard let current = try await clients.ec2.describeLaunchTemplateVersions(launchTemplateID: templateID, versions: [currentSpec]).first else {
            throw OperationError("launch template \(templateID) has no version \(currentSpec)", hint: "check the group's launch template")
        }
        let currentVersion = String(current.versionNumber)
        let currentRelease = AMIVersionRecord.Release(
            imageID: current.imageID ?? "", launchTemplateID: templateID, launchTemplateVersion: currentVersion, since: Date())
        if current.imageID == options.imageID {
            return RolloutResult(
                outcome: .unchanged, refreshID: nil, imageID: options.imageID, launchTemplateVersion: currentVersion,
                reason: "the group already runs \(options.imageID) (launch template version \(currentVersion))")
        }

        let created = try await clients.ec2.createLaunchTemplateVersion(
            launchTemplateID: templateID, sourceVersion: currentVersion, imageID: options.imageID,
            description: "gateway rollout of \(options.imageID)")
        let newVersion = String(created.versionNumber)
        progress(.launchTemplateVersionCreated(version: newVersion, imageID: options.imageID, sourceVersion: currentVersion))

        let preferences = InstanceRefreshPreferences(
            minHealthyPercentage: options.minHealthyPercentage, instanceWarmup: options.instanceWarmupSeconds,
            checkpointPercentages: options.checkpoints, checkpointDelay: options.checkpoints.isEmpty ? nil : options.checkpointDelaySeconds,
            skipMatching: true, autoRollback: options.autoRollback)
        let refreshID = try await clients.autoScaling.startInstanceRefresh(
            groupName: group.name,
            desiredConfiguration: .init(launchTemplate: .init(id: templateID, version: newVersion), mixedInstances: group.mixedInstances),
            preferences: preferences)
        progress(.refreshStarted(id: refreshID, targetVersion: newVersion))
        logger.info("rollout started", metadata: ["group": "\(group.name)", "refresh": "\(refreshID)", "ami": "\(options.imageID)"])
        try store.update(deployment: names.deployment) { record in
            if record.current == nil { record.current = currentRelease }
            record.history.append(
                .init(
                    time: Date(), action: "rollout", imageID: options.imageID, launchTemplateVersion: newVersion,
                    refreshID: refreshID, outcome: "started", reason: nil))
        }

        let watched = try await watch(
            group: group, refreshID: refreshID, options: options, healthRollback: options.autoRollback, progress: progress)
        var result: RolloutResult
        switch watched.outcome {
        case .succeeded:
            result = RolloutResult(outcome: .succeeded, refreshID: refreshID, imageID: options.imageID, launchTemplateVersion: newVersion, reason: nil)
        case .failed where options.autoRollback:
            // The refresh failed without Auto Scaling rolling back: restore the previous version ourselves.
            let reason = "instance refresh \(refreshID) failed: \(watched.reason ?? "no reason given")"
            progress(.rollingBack(reason: reason))
            let restore = try await refresh(group: group, templateID: templateID, version: currentVersion, options: options, progress: progress)
            result =
                restore.outcome == .succeeded
                ? RolloutResult(
                    outcome: .rolledBack, refreshID: refreshID, imageID: currentRelease.imageID,
                    launchTemplateVersion: currentVersion, reason: reason + "; restored launch template version \(currentVersion)")
                : RolloutResult(
                    outcome: .failed, refreshID: refreshID, imageID: nil, launchTemplateVersion: nil,
                    reason: reason + "; restoring version \(currentVersion) failed too: \(restore.reason ?? restore.outcome.rawValue)")
        case .rolledBack:
            result = RolloutResult(
                outcome: .rolledBack, refreshID: refreshID, imageID: currentRelease.imageID,
                launchTemplateVersion: currentVersion, reason: watched.reason)
        default:
            result = RolloutResult(outcome: watched.outcome, refreshID: refreshID, imageID: nil, launchTemplateVersion: nil, reason: watched.reason)
        }
        let finalResult = result
        try store.update(deployment: names.deployment) { record in
            if finalResult.outcome == .succeeded {
                record.previous = record.current ?? currentRelease
                record.current = .init(imageID: options.imageID, launchTemplateID: templateID, launchTemplateVersion: newVersion, since: Date())
            }
            record.history.append(
                .init(
                    time: Date(), action: "rollout", imageID: options.imageID, launchTemplateVersion: newVersion,
                    refreshID: refreshID, outcome: finalResult.outcome.rawValue, reason: finalResult.reason))
        }
        logger.info("rollout finished", metadata: ["group": "\(group.name)", "outcome": "\(finalResult.outcome.rawValue)"])
        return finalResult
    }

    /// The latest refresh and the AMI version record.
    public func status(_ config: GatewayConfig) async throws -> RolloutStatus {
        let names = config.names
        let group = try await clients.group(named: names.autoScalingGroup)
        let latest = try await clients.autoScaling.describeInstanceRefreshes(groupName: group.name).first
        return RolloutStatus(autoScalingGroup: group.name, latestRefresh: latest, record: try store.load(deployment: names.deployment))
    }

    /// Cancels the refresh in progress; returns its id.
    public func cancel(_ config: GatewayConfig) async throws -> String {
        let names = config.names
        let id: String
        do {
            id = try await clients.autoScaling.cancelInstanceRefresh(groupName: names.autoScalingGroup)
        } catch let error as AWSError where error.code == "ActiveInstanceRefreshNotFound" {
            throw OperationError("no instance refresh is in progress on \(names.autoScalingGroup)", hint: "nothing to cancel")
        }
        try store.update(deployment: names.deployment) { record in
            record.history.append(
                .init(
                    time: Date(), action: "cancel", imageID: nil, launchTemplateVersion: nil,
                    refreshID: id, outcome: "cancelled", reason: nil))
        }
        return id
    }

    /// Rolls back: the refresh in progress if there is one (Auto Scaling's rollback), else the last
    /// successful rollout (a refresh back to the previous launch template version in the record).
    public func rollback(
        _ config: GatewayConfig, options: RolloutOptions, progress: @Sendable (RolloutEvent) -> Void = { _ in }
    ) async throws -> RolloutResult {
        let names = config.names
        let group = try await clients.group(named: names.autoScalingGroup)
        var record = try store.load(deployment: names.deployment)
        let result: RolloutResult
        if let active = try await clients.autoScaling.describeInstanceRefreshes(groupName: group.name).first, !active.isFinished {
            progress(.rollingBack(reason: "rollback requested for instance refresh \(active.id)"))
            _ = try await clients.autoScaling.rollbackInstanceRefresh(groupName: group.name)
            let watched = try await watch(group: group, refreshID: active.id, options: options, healthRollback: false, progress: progress)
            let done = watched.outcome == .rolledBack || watched.outcome == .succeeded
            result = RolloutResult(
                outcome: done ? .rolledBack : watched.outcome, refreshID: active.id,
                imageID: done ? record.current?.imageID : nil, launchTemplateVersion: done ? record.current?.launchTemplateVersion : nil,
                reason: watched.reason ?? "rolled back on request")
        } else {
            guard let previous = record.previous, let templateID = group.launchTemplate?.id else {
                throw OperationError(
                    "no rollout to roll back on \(group.name): no refresh in progress and no previous AMI recorded in \(store.file.path)",
                    hint: "roll out a known AMI")
            }
            progress(.rollingBack(reason: "restoring \(previous.imageID) (launch template version \(previous.launchTemplateVersion))"))
            let restore = try await refresh(group: group, templateID: templateID, version: previous.launchTemplateVersion, options: options, progress: progress)
            let done = restore.outcome == .succeeded
            if done {
                record.previous = record.current
                record.current = .init(
                    imageID: previous.imageID, launchTemplateID: templateID,
                    launchTemplateVersion: previous.launchTemplateVersion, since: Date())
            }
            result = RolloutResult(
                outcome: done ? .rolledBack : restore.outcome, refreshID: restore.refreshID,
                imageID: done ? previous.imageID : nil, launchTemplateVersion: done ? previous.launchTemplateVersion : nil,
                reason: done ? "restored launch template version \(previous.launchTemplateVersion)" : restore.reason)
        }
        record.history.append(
            .init(
                time: Date(), action: "rollback", imageID: result.imageID, launchTemplateVersion: result.launchTemplateVersion,
                refreshID: result.refreshID, outcome: result.outcome.rawValue, reason: result.reason))
        try store.save(record)
        return result
    }

    /// Starts a refresh to `version` (no automatic rollback: it is itself the way back) and watches it.
    private func refresh(
        group: AutoScalingGroup, templateID: String, version: String, options: RolloutOptions,
        progress: @Sendable (RolloutEvent) -> Void
    ) async throws -> RolloutResult {
        let id = try await clients.autoScaling.startInstanceRefresh(
            groupName: group.name,
            desiredConfiguration: .init(launchTemplate: .init(id: templateID, version: version), mixedInstances: group.mixedInstances),
            preferences: InstanceRefreshPreferences(
                minHealthyPercentage: options.minHealthyPercentage, instanceWarmup: options.instanceWarmupSeconds,
                skipMatching: true, autoRollback: false))
        progress(.refreshStarted(id: id, targetVersion: version))
        let watched = try await watch(group: group, refreshID: id, options: options, healthRollback: false, progress: progress)
        return RolloutResult(outcome: watched.outcome, refreshID: id, imageID: nil, launchTemplateVersion: version, reason: watched.reason)
    }

    /// Follows one refresh to its end: the decisions are ``RolloutWatch``'s; this carries them out.
    /// With `healthRollback`, Auto Scaling is asked to roll back when the healthy share stays below
    /// the bar for `unhealthyPollsBeforeRollback` looks.
    private func watch(
        group: AutoScalingGroup, refreshID: String, options: RolloutOptions, healthRollback: Bool,
        progress: @Sendable (RolloutEvent) -> Void
    ) async throws -> (outcome: RolloutResult.Outcome, reason: String?) {
        let clock = ContinuousClock()
        var watch = RolloutWatch(refreshID: refreshID, desiredCapacity: group.desiredCapacity, options: options, healthRollback: healthRollback, start: clock.now)
        while true {
            if let ending = watch.expired(at: clock.now) { return (ending.outcome, ending.reason) }
            let decision: RolloutWatch.Decision
            if let refresh = try await clients.autoScaling.describeInstanceRefreshes(groupName: group.name, ids: [refreshID]).first {
                let healthy = try await clients.targetHealth(of: group).values.filter { $0 == "healthy" }.count
                decision = watch.observe(.init(status: refresh.status, statusReason: refresh.statusReason, percentComplete: refresh.percentageComplete, healthyTargets: healthy))
            } else {
                decision = watch.refreshMissing()
            }
            for event in decision.events { progress(event) }
            if let reason = decision.rollBack {
                logger.warning("rolling back", metadata: ["group": "\(group.name)", "refresh": "\(refreshID)", "reason": "\(reason)"])
                _ = try await clients.autoScaling.rollbackInstanceRefresh(groupName: group.name)
            }
            if let ending = decision.end { return (ending.outcome, ending.reason) }
            try await Task.sleep(for: options.pollInterval)
        }
    }
}
