import Foundation
import GatewayCore

/// Reads a deployment's `FleetStatus` from Auto Scaling, EC2 and ELBv2.
public struct FleetStatusReader: Sendable {
    private let clients: DeploymentAWSClients

    public init(clients: DeploymentAWSClients) {
        self.clients = clients
    }

    /// The fleet of the deployment described by `config`.
    public func read(_ config: GatewayConfig) async throws -> FleetStatus {
        let names = config.names
        let group = try await clients.group(named: names.autoScalingGroup)
        let health = try await clients.targetHealth(of: group)
        let ec2Instances =
            group.instances.isEmpty
            ? [] : try await clients.ec2.describeInstances(instanceIDs: group.instances.map(\.instanceID))
        let imageByInstance = Dictionary(ec2Instances.map { ($0.instanceID, $0.imageID) }, uniquingKeysWith: { a, _ in a })
        let instances = group.instances.map {
            FleetStatus.Instance(
                instanceID: $0.instanceID, availabilityZone: $0.availabilityZone, lifecycleState: $0.lifecycleState,
                healthStatus: $0.healthStatus, targetHealth: health[$0.instanceID], imageID: imageByInstance[$0.instanceID],
                instanceType: $0.instanceType, launchTemplateVersion: $0.launchTemplate?.version)
        }
        let running = Array(Set(instances.compactMap(\.imageID))).sorted()
        let built = try await clients.ec2.describeImages(
            owners: ["self"], filters: [.init("name", [config.builtImageNamePattern])])
        let newest = built.filter { $0.state == "available" || $0.state.isEmpty }
            .max { ($0.creationDate ?? .distantPast, $0.imageID) < ($1.creationDate ?? .distantPast, $1.imageID) }
            .map { FleetStatus.Image(imageID: $0.imageID, name: $0.name, created: $0.creationDate) }
        let refresh = try await clients.autoScaling.describeInstanceRefreshes(groupName: group.name).first
        return FleetStatus(
            deployment: names.deployment, region: config.project.region, autoScalingGroup: group.name,
            minSize: group.minSize, maxSize: group.maxSize, desiredCapacity: group.desiredCapacity,
            inService: instances.filter { $0.lifecycleState == "InService" }.count, instances: instances,
            targetGroupARNs: group.targetGroupARNs, healthyTargets: health.values.filter { $0 == "healthy" }.count,
            launchTemplateID: group.launchTemplate?.id, launchTemplateVersion: group.launchTemplate?.version,
            runningImages: running, newestImage: newest,
            upToDate: newest.map { image in !instances.isEmpty && instances.allSatisfy { $0.imageID == image.imageID } },
            latestRefresh: refresh)
    }
}

extension GatewayConfig {
    /// The name pattern of AMIs built for this project: `<image.namePrefix>-<project.name>-*`.
    public var builtImageNamePattern: String { "\(image.namePrefix)-\(project.name)-*" }
}
