import Foundation
import GatewayCore
import GatewayProvision

/// A deployment's rollout state (`GET /v1/deployments/{name}/rollout`): the latest instance refresh
/// and the AMI versions recorded in the workspace (what the fleet runs, what it ran before, and
/// every rollout, rollback and cancel).
struct RolloutStatusResource: Encodable, Sendable {
    struct Release: Encodable, Sendable {
        let imageId: String
        let launchTemplateId: String
        let launchTemplateVersion: String
        let since: Date

        init(_ release: AMIVersionRecord.Release) {
            imageId = release.imageID
            launchTemplateId = release.launchTemplateID
            launchTemplateVersion = release.launchTemplateVersion
            since = release.since
        }
    }

    struct Entry: Encodable, Sendable {
        let time: Date
        let action: String
        let imageId: String?
        let launchTemplateVersion: String?
        let refreshId: String?
        let outcome: String
        let reason: String?
    }

    let autoScalingGroup: String
    let latestRefresh: InstanceRefreshResource?
    let current: Release?
    let previous: Release?
    let history: [Entry]

    init(_ status: RolloutStatus) {
        autoScalingGroup = status.autoScalingGroup
        latestRefresh = status.latestRefresh.map(InstanceRefreshResource.init)
        current = status.record.current.map(Release.init)
        previous = status.record.previous.map(Release.init)
        history = status.record.history.map {
            Entry(
                time: $0.time, action: $0.action, imageId: $0.imageID, launchTemplateVersion: $0.launchTemplateVersion,
                refreshId: $0.refreshID, outcome: $0.outcome, reason: $0.reason)
        }
    }

    static var schema: JSONTree {
        let s = OpenAPISchemas.self
        let release = s.object(
            [("imageId", s.string), ("launchTemplateId", s.string), ("launchTemplateVersion", s.string), ("since", s.dateTime)],
            required: ["imageId", "launchTemplateId", "launchTemplateVersion", "since"])
        return s.object(
            [
                ("autoScalingGroup", s.string),
                ("latestRefresh", s.reference("InstanceRefresh")),
                ("current", ["description": "What the fleet runs after the last successful rollout or rollback.", "allOf": [release]]),
                ("previous", ["description": "What it ran before: the target of a rollback.", "allOf": [release]]),
                (
                    "history",
                    s.array(
                        of: s.object(
                            [
                                ("time", s.dateTime),
                                ("action", s.enumeration(["rollout", "rollback", "cancel"])),
                                ("imageId", s.string),
                                ("launchTemplateVersion", s.string),
                                ("refreshId", s.string),
                                ("outcome", s.enumeration(["started", "succeeded", "rolled-back", "failed", "cancelled", "unchanged"])),
                                ("reason", s.string),
                            ],
                            required: ["time", "action", "outcome"]))
                ),
            ],
            required: ["autoScalingGroup", "history"],
            description: "The latest instance refresh and the AMI versions recorded for the deployment."
        )
    }
}
