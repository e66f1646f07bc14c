/// Elastic Load Balancing v2: health of a target group's targets.
public struct ELBv2Client: Sendable {
    public let client: AWSClient

    public init(configuration: AWSConfiguration) throws {
        client = try AWSClient(service: .elbv2, configuration: configuration)
    }

    /// Health of one registered target.
    public struct TargetHealth: Sendable, Equatable, Codable {
        public let targetID: String
        public let port: Int?
        public let availabilityZone: String?
        /// `initial`, `healthy`, `unhealthy`, `unused`, `draining`, `unavailable`, ...
        public let state: String
        public let reason: String?
        public let description: String?
    }

    /// `DescribeTargetHealth` of a target group.
    public func describeTargetHealth(targetGroupARN: String) async throws -> [TargetHealth] {
        var parameters = QueryParameters()
        parameters.add("TargetGroupArn", targetGroupARN)
        let result = try await client.query("DescribeTargetHealth", parameters)
        return result.list("TargetHealthDescriptions").map {
            TargetHealth(
                targetID: $0.string("Target", "Id") ?? "", port: $0.string("Target", "Port").flatMap { Int($0) },
                availabilityZone: $0.string("Target", "AvailabilityZone"),
                state: $0.string("TargetHealth", "State") ?? "",
                reason: AWSEnvironment.nonEmpty($0.string("TargetHealth", "Reason")),
                description: AWSEnvironment.nonEmpty($0.string("TargetHealth", "Description")))
        }
    }
}
