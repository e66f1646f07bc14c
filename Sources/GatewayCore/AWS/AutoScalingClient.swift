import Foundation

/// Amazon EC2 Auto Scaling: groups and instance refreshes.
public struct AutoScalingClient: Sendable {
    public let client: AWSClient

    public init(configuration: AWSConfiguration) throws {
        client = try AWSClient(service: .autoScaling, configuration: configuration)
    }

    /// `DescribeAutoScalingGroups` for the named groups (all groups when empty), following pages.
    public func describeAutoScalingGroups(names: [String]) async throws -> [AutoScalingGroup] {
        var groups: [AutoScalingGroup] = []
        var nextToken: String?
        repeat {
            var parameters = QueryParameters()
            parameters.addList("AutoScalingGroupNames.member", names)
            parameters.add("NextToken", nextToken)
            let result = try await client.query("DescribeAutoScalingGroups", parameters)
            groups.append(contentsOf: result.list("AutoScalingGroups").map(AutoScalingGroup.init(xml:)))
            nextToken = AWSEnvironment.nonEmpty(result.string("NextToken"))
        } while nextToken != nil
        return groups
    }

    /// `StartInstanceRefresh` (rolling); returns the refresh id.
    public func startInstanceRefresh(
        groupName: String, desiredConfiguration: InstanceRefreshDesiredConfiguration?,
        preferences: InstanceRefreshPreferences
    ) async throws -> String {
        var parameters = QueryParameters()
        parameters.add("AutoScalingGroupName", groupName)
        parameters.add("Strategy", "Rolling")
        desiredConfiguration?.encode(into: &parameters)
        preferences.encode(into: &parameters)
        let result = try await client.query("StartInstanceRefresh", parameters)
        return result.string("InstanceRefreshId") ?? ""
    }

    /// `DescribeInstanceRefreshes` of a group, newest first (only `ids` when given).
    public func describeInstanceRefreshes(groupName: String, ids: [String] = []) async throws -> [InstanceRefresh] {
        var refreshes: [InstanceRefresh] = []
        var nextToken: String?
        repeat {
            var parameters = QueryParameters()
            parameters.add("AutoScalingGroupName", groupName)
            parameters.addList("InstanceRefreshIds.member", ids)
            parameters.add("NextToken", nextToken)
            let result = try await client.query("DescribeInstanceRefreshes", parameters)
            refreshes.append(contentsOf: result.list("InstanceRefreshes").map(InstanceRefresh.init(xml:)))
            nextToken = AWSEnvironment.nonEmpty(result.string("NextToken"))
        } while nextToken != nil
        return refreshes
    }

    /// `CancelInstanceRefresh`; returns the id of the cancelled refresh.
    public func cancelInstanceRefresh(groupName: String) async throws -> String {
        var parameters = QueryParameters()
        parameters.add("AutoScalingGroupName", groupName)
        return try await client.query("CancelInstanceRefresh", parameters).string("InstanceRefreshId") ?? ""
    }

    /// `RollbackInstanceRefresh`: reverts the group to the configuration before the refresh in progress.
    public func rollbackInstanceRefresh(groupName: String) async throws -> String {
        var parameters = QueryParameters()
        parameters.add("AutoScalingGroupName", groupName)
        return try await client.query("RollbackInstanceRefresh", parameters).string("InstanceRefreshId") ?? ""
    }
}

/// A launch template reference: id or name, and a version (`3`, `$Latest`, `$Default`).
public struct LaunchTemplateReference: Sendable, Equatable, Codable {
    public var id: String?
    public var name: String?
    public var version: String?

    public init(id: String? = nil, name: String? = nil, version: String? = nil) {
        self.id = id
        self.name = name
        self.version = version
    }

    init?(xml: XMLTree?) {
        guard let xml, xml.child("LaunchTemplateId") != nil || xml.child("LaunchTemplateName") != nil else { return nil }
        self.init(id: xml.string("LaunchTemplateId"), name: xml.string("LaunchTemplateName"), version: xml.string("Version"))
    }

    func encode(prefix: String, into parameters: inout QueryParameters) {
        parameters.add("\(prefix).LaunchTemplateId", id)
        if id == nil { parameters.add("\(prefix).LaunchTemplateName", name) }
        parameters.add("\(prefix).Version", version)
    }
}

/// An Auto Scaling group as the status and rollout code need it.
public struct AutoScalingGroup: Sendable, Equatable, Codable {
    public struct Instance: Sendable, Equatable, Codable {
        public let instanceID: String
        public let availabilityZone: String
        public let lifecycleState: String
        public let healthStatus: String
        public let instanceType: String?
        public let launchTemplate: LaunchTemplateReference?
    }

    /// The mixed-instances part of a group: instance type overrides and the on-demand/spot split.
    public struct MixedInstances: Sendable, Equatable, Codable {
        public let instanceTypes: [String]
        public let onDemandBaseCapacity: Int?
        public let onDemandPercentageAboveBaseCapacity: Int?
        public let onDemandAllocationStrategy: String?
        public let spotAllocationStrategy: String?
    }

    public let name: String
    public let minSize: Int
    public let maxSize: Int
    public let desiredCapacity: Int
    public let instances: [Instance]
    /// The group's launch template (directly or inside its mixed instances policy).
    public let launchTemplate: LaunchTemplateReference?
    public let mixedInstances: MixedInstances?
    public let targetGroupARNs: [String]
    public let healthCheckType: String?
    public let status: String?

    init(xml: XMLTree) {
        name = xml.string("AutoScalingGroupName") ?? ""
        minSize = Int(xml.string("MinSize") ?? "") ?? 0
        maxSize = Int(xml.string("MaxSize") ?? "") ?? 0
        desiredCapacity = Int(xml.string("DesiredCapacity") ?? "") ?? 0
        instances = xml.list("Instances").map {
            Instance(
                instanceID: $0.string("InstanceId") ?? "", availabilityZone: $0.string("AvailabilityZone") ?? "",
                lifecycleState: $0.string("LifecycleState") ?? "", healthStatus: $0.string("HealthStatus") ?? "",
                instanceType: $0.string("InstanceType"), launchTemplate: LaunchTemplateReference(xml: $0.child("LaunchTemplate")))
        }
        let mixed = xml.child("MixedInstancesPolicy")
        launchTemplate =
            LaunchTemplateReference(xml: xml.child("LaunchTemplate"))
            ?? LaunchTemplateReference(xml: mixed?.element("LaunchTemplate", "LaunchTemplateSpecification"))
        if let mixed {
            let distribution = mixed.child("InstancesDistribution")
            mixedInstances = MixedInstances(
                instanceTypes: (mixed.child("LaunchTemplate")?.list("Overrides") ?? []).compactMap { $0.string("InstanceType") },
                onDemandBaseCapacity: distribution?.string("OnDemandBaseCapacity").flatMap { Int($0) },
                onDemandPercentageAboveBaseCapacity: distribution?.string("OnDemandPercentageAboveBaseCapacity").flatMap { Int($0) },
                onDemandAllocationStrategy: distribution?.string("OnDemandAllocationStrategy"),
                spotAllocationStrategy: distribution?.string("SpotAllocationStrategy"))
        } else {
            mixedInstances = nil
        }
        targetGroupARNs = xml.list("TargetGroupARNs").map(\.text)
        healthCheckType = xml.string("HealthCheckType")
        status = xml.string("Status")
    }
}

/// What an instance refresh moves the group to: a launch template version, kept inside the group's
/// mixed instances policy when it has one.
public struct InstanceRefreshDesiredConfiguration: Sendable, Equatable {
    public var launchTemplate: LaunchTemplateReference
    public var mixedInstances: AutoScalingGroup.MixedInstances?

    public init(launchTemplate: LaunchTemplateReference, mixedInstances: AutoScalingGroup.MixedInstances? = nil) {
        self.launchTemplate = launchTemplate
        self.mixedInstances = mixedInstances
    }

    func encode(into parameters: inout QueryParameters) {
        guard let mixed = mixedInstances else {
            launchTemplate.encode(prefix: "DesiredConfiguration.LaunchTemplate", into: &parameters)
            return
        }
        let policy = "DesiredConfiguration.MixedInstancesPolicy"
        launchTemplate.encode(prefix: "\(policy).LaunchTemplate.LaunchTemplateSpecification", into: &parameters)
        for (index, type) in mixed.instanceTypes.enumerated() {
            parameters.add("\(policy).LaunchTemplate.Overrides.member.\(index + 1).InstanceType", type)
        }
        let distribution = "\(policy).InstancesDistribution"
        parameters.add("\(distribution).OnDemandBaseCapacity", mixed.onDemandBaseCapacity)
        parameters.add("\(distribution).OnDemandPercentageAboveBaseCapacity", mixed.onDemandPercentageAboveBaseCapacity)
        parameters.add("\(distribution).OnDemandAllocationStrategy", mixed.onDemandAllocationStrategy)
        parameters.add("\(distribution).SpotAllocationStrategy", mixed.spotAllocationStrategy)
    }
}

/// Preferences of a rolling instance refresh.
public struct InstanceRefreshPreferences: Sendable, Equatable, Codable {
    /// Share of the group that must stay healthy during the refresh (0-100).
    public var minHealthyPercentage: Int
    /// Seconds a new instance gets before it counts as healthy.
    public var instanceWarmup: Int?
    /// Percentages at which the refresh pauses for `checkpointDelay` (the last must be 100).
    public var checkpointPercentages: [Int]
    public var checkpointDelay: Int?
    /// Skip instances that already run the desired configuration.
    public var skipMatching: Bool
    /// Let Auto Scaling roll back by itself when the refresh fails.
    public var autoRollback: Bool

    public init(
        minHealthyPercentage: Int = 90, instanceWarmup: Int? = nil, checkpointPercentages: [Int] = [],
        checkpointDelay: Int? = nil, skipMatching: Bool = true, autoRollback: Bool = true
    ) {
        self.minHealthyPercentage = minHealthyPercentage
        self.instanceWarmup = instanceWarmup
        self.checkpointPercentages = checkpointPercentages
        self.checkpointDelay = checkpointDelay
        self.skipMatching = skipMatching
        self.autoRollback = autoRollback
    }

    func encode(into parameters: inout QueryParameters) {
        parameters.add("Preferences.MinHealthyPercentage", minHealthyPercentage)
        parameters.add("Preferences.InstanceWarmup", instanceWarmup)
        for (index, value) in checkpointPercentages.enumerated() {
            parameters.add("Preferences.CheckpointPercentages.member.\(index + 1)", value)
        }
        parameters.add("Preferences.CheckpointDelay", checkpointDelay)
        parameters.add("Preferences.SkipMatching", skipMatching)
        parameters.add("Preferences.AutoRollback", autoRollback)
    }
}

/// An instance refresh and how far it got.
public struct InstanceRefresh: Sendable, Equatable, Codable {
    public let id: String
    public let groupName: String
    /// `Pending`, `InProgress`, `Successful`, `Failed`, `Cancelling`, `Cancelled`, `RollbackInProgress`,
    /// `RollbackFailed`, `RollbackSuccessful` or `Baking`.
    public let status: String
    public let statusReason: String?
    public let percentageComplete: Int?
    public let instancesToUpdate: Int?
    public let startTime: Date?
    public let endTime: Date?

    /// Statuses after which nothing more happens.
    public static let finalStatuses: Set<String> = [
        "Successful", "Failed", "Cancelled", "RollbackFailed", "RollbackSuccessful",
    ]

    /// Whether the refresh is over.
    public var isFinished: Bool { Self.finalStatuses.contains(status) }

    init(xml: XMLTree) {
        id = xml.string("InstanceRefreshId") ?? ""
        groupName = xml.string("AutoScalingGroupName") ?? ""
        status = xml.string("Status") ?? ""
        statusReason = AWSEnvironment.nonEmpty(xml.string("StatusReason"))
        percentageComplete = xml.string("PercentageComplete").flatMap { Int($0) }
        instancesToUpdate = xml.string("InstancesToUpdate").flatMap { Int($0) }
        startTime = xml.string("StartTime").flatMap(AWSTimestamp.parseISO8601)
        endTime = xml.string("EndTime").flatMap(AWSTimestamp.parseISO8601)
    }
}
