import Foundation
import GatewayCore

/// The state of a deployment's fleet as AWS reports it: the Auto Scaling group and its instances, the
/// target group's view of their health, the AMIs running versus the newest built one, and the latest
/// instance refresh.
public struct FleetStatus: Sendable, Equatable, Codable {
    /// One instance of the group.
    public struct Instance: Sendable, Equatable, Codable {
        public let instanceID: String
        public let availabilityZone: String
        public let lifecycleState: String
        /// Auto Scaling's health (`Healthy`/`Unhealthy`).
        public let healthStatus: String
        /// The load balancer's view (`healthy`, `unhealthy`, `initial`, `draining`, ...), `nil` when not registered.
        public let targetHealth: String?
        public let imageID: String?
        public let instanceType: String?
        public let launchTemplateVersion: String?
    }

    /// An AMI and where it came from.
    public struct Image: Sendable, Equatable, Codable {
        public let imageID: String
        public let name: String?
        public let created: Date?
    }

    public let deployment: String
    public let region: String
    public let autoScalingGroup: String
    public let minSize: Int
    public let maxSize: Int
    public let desiredCapacity: Int
    /// Instances in service.
    public let inService: Int
    public let instances: [Instance]
    public let targetGroupARNs: [String]
    /// Targets the load balancer reports healthy.
    public let healthyTargets: Int
    public let launchTemplateID: String?
    public let launchTemplateVersion: String?
    /// Distinct AMIs the instances run.
    public let runningImages: [String]
    /// The newest AMI built for this project (by name prefix, owned by the account), if any.
    public let newestImage: Image?
    /// Whether every instance runs the newest built AMI (`nil` when no AMI was built).
    public let upToDate: Bool?
    /// The latest instance refresh of the group, if any.
    public let latestRefresh: InstanceRefresh?

    /// Whether an instance refresh is running now.
    public var refreshInProgress: Bool { latestRefresh.map { !$0.isFinished } ?? false }
}
