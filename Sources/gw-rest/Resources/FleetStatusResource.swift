import Foundation
import GatewayCore
import GatewayProvision

/// A deployment's fleet as AWS reports it (`GET /v1/deployments/{name}/status`): the Auto Scaling
/// group, each instance with its AMI and the load balancer's view of its health, the AMIs running
/// versus the newest built one, and the latest instance refresh.
struct FleetStatusResource: Encodable, Sendable {
    struct Instance: Encodable, Sendable {
        let instanceId: String
        let availabilityZone: String
        let lifecycleState: String
        let healthStatus: String
        let targetHealth: String?
        let imageId: String?
        let instanceType: String?
        let launchTemplateVersion: String?
    }

    struct Image: Encodable, Sendable {
        let imageId: String
        let name: String?
        let created: Date?
    }

    let deployment: String
    let region: String
    let autoScalingGroup: String
    let minSize: Int
    let maxSize: Int
    let desiredCapacity: Int
    let inService: Int
    let healthyTargets: Int
    let instances: [Instance]
    let targetGroupArns: [String]
    let launchTemplateId: String?
    let launchTemplateVersion: String?
    let runningImages: [String]
    let newestImage: Image?
    let upToDate: Bool?
    let refreshInProgress: Bool
    let latestRefresh: InstanceRefreshResource?

    init(_ status: FleetStatus) {
        deployment = status.deployment
        region = status.region
        autoScalingGroup = status.autoScalingGroup
        minSize = status.minSize
        maxSize = status.maxSize
        desiredCapacity = status.desiredCapacity
        inService = status.inService
        healthyTargets = status.healthyTargets
        instances = status.instances.map {
            Instance(
                instanceId: $0.instanceID, availabilityZone: $0.availabilityZone, lifecycleState: $0.lifecycleState,
                healthStatus: $0.healthStatus, targetHealth: $0.targetHealth, imageId: $0.imageID, instanceType: $0.instanceType,
                launchTemplateVersion: $0.launchTemplateVersion)
        }
        targetGroupArns = status.targetGroupARNs
        launchTemplateId = status.launchTemplateID
        launchTemplateVersion = status.launchTemplateVersion
        runningImages = status.runningImages
        newestImage = status.newestImage.map { Image(imageId: $0.imageID, name: $0.name, created: $0.created) }
        upToDate = status.upToDate
        refreshInProgress = status.refreshInProgress
        latestRefresh = status.latestRefresh.map(InstanceRefreshResource.init)
    }

    static var schema: JSONTree {
        let s = OpenAPISchemas.self
        let count: JSONTree = ["type": "integer", "minimum": 0]
        return s.object(
            [
                ("deployment", s.string),
                ("region", s.string),
                ("autoScalingGroup", s.string),
                ("minSize", count),
                ("maxSize", count),
                ("desiredCapacity", count),
                ("inService", ["type": "integer", "minimum": 0, "description": "Instances in service."]),
                ("healthyTargets", ["type": "integer", "minimum": 0, "description": "Targets the load balancer reports healthy."]),
                (
                    "instances",
                    s.array(
                        of: s.object(
                            [
                                ("instanceId", s.string),
                                ("availabilityZone", s.string),
                                ("lifecycleState", s.string),
                                ("healthStatus", ["type": "string", "description": "Auto Scaling's health: Healthy or Unhealthy."]),
                                ("targetHealth", ["type": "string", "description": "The load balancer's view (healthy, unhealthy, initial, draining, ...); absent when not registered."]),
                                ("imageId", s.string),
                                ("instanceType", s.string),
                                ("launchTemplateVersion", s.string),
                            ],
                            required: ["instanceId", "availabilityZone", "lifecycleState", "healthStatus"]))
                ),
                ("targetGroupArns", s.array(of: s.string)),
                ("launchTemplateId", s.string),
                ("launchTemplateVersion", s.string),
                ("runningImages", ["type": "array", "items": s.string, "description": "Distinct AMIs the instances run."]),
                (
                    "newestImage",
                    s.object(
                        [("imageId", s.string), ("name", s.string), ("created", s.dateTime)], required: ["imageId"],
                        description: "The newest AMI built for the project (by name prefix, owned by the account).")
                ),
                ("upToDate", ["type": "boolean", "description": "Whether every instance runs the newest built AMI; absent when none was built."]),
                ("refreshInProgress", s.boolean),
                ("latestRefresh", s.reference("InstanceRefresh")),
            ],
            required: [
                "deployment", "region", "autoScalingGroup", "minSize", "maxSize", "desiredCapacity", "inService",
                "healthyTargets", "instances", "targetGroupArns", "runningImages", "refreshInProgress",
            ],
            description: "The deployment's fleet as AWS reports it."
        )
    }
}

/// An Auto Scaling instance refresh.
struct InstanceRefreshResource: Encodable, Sendable {
    let id: String
    let status: String
    let statusReason: String?
    let percentageComplete: Int?
    let instancesToUpdate: Int?
    let startTime: Date?
    let endTime: Date?
    let finished: Bool

    init(_ refresh: InstanceRefresh) {
        id = refresh.id
        status = refresh.status
        statusReason = refresh.statusReason
        percentageComplete = refresh.percentageComplete
        instancesToUpdate = refresh.instancesToUpdate
        startTime = refresh.startTime
        endTime = refresh.endTime
        finished = refresh.isFinished
    }

    static var schema: JSONTree {
        let s = OpenAPISchemas.self
        return s.object(
            [
                ("id", s.string),
                ("status", ["type": "string", "description": "Pending, InProgress, Baking, Successful, Failed, Cancelling, Cancelled, RollbackInProgress, RollbackFailed or RollbackSuccessful."]),
                ("statusReason", s.string),
                ("percentageComplete", ["type": "integer", "minimum": 0, "maximum": 100]),
                ("instancesToUpdate", ["type": "integer", "minimum": 0]),
                ("startTime", s.dateTime),
                ("endTime", s.dateTime),
                ("finished", s.boolean),
            ],
            required: ["id", "status", "finished"],
            description: "An Auto Scaling instance refresh."
        )
    }
}
