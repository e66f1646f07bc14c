extension EC2Client {
    /// An availability zone (or local or wavelength zone) of the client's region.
    public struct AvailabilityZone: Sendable, Equatable, Codable {
        /// e.g. `eu-west-1a`.
        public let name: String
        /// e.g. `euw1-az3`; the same id names the same physical zone in every account.
        public let zoneID: String?
        /// `available`, `information`, `impaired`, `unavailable`.
        public let state: String
        /// `availability-zone`, `local-zone` or `wavelength-zone` (`nil` when the answer does not say).
        public let zoneType: String?
    }

    /// Where an instance type can be launched.
    public struct InstanceTypeOffering: Sendable, Equatable, Codable {
        public let instanceType: String
        /// `region`, `availability-zone` or `availability-zone-id`.
        public let locationType: String
        /// The region, zone name or zone id, as `locationType` says.
        public let location: String
    }

    /// `DescribeAvailabilityZones` of the region (only the zones the account can use, as AWS answers by default).
    public func describeAvailabilityZones(filters: [Filter] = []) async throws -> [AvailabilityZone] {
        var parameters = QueryParameters()
        Self.addFilters(filters, to: &parameters)
        let result = try await client.query("DescribeAvailabilityZones", parameters)
        return result.list("availabilityZoneInfo").map { item in
            AvailabilityZone(
                name: item.string("zoneName") ?? "", zoneID: item.string("zoneId"), state: item.string("zoneState") ?? "",
                zoneType: item.string("zoneType"))
        }
    }

    /// `DescribeInstanceTypeOfferings` of `instanceTypes` in `locations` (zone names with the default
    /// `availability-zone` location type), following `NextToken` pages.
    public func describeInstanceTypeOfferings(
        locationType: String = "availability-zone", instanceTypes: [String], locations: [String] = []
    ) async throws -> [InstanceTypeOffering] {
        var filters = [Filter("instance-type", instanceTypes)]
        if !locations.isEmpty { filters.append(Filter("location", locations)) }
        var offerings: [InstanceTypeOffering] = []
        var nextToken: String?
        repeat {
            var parameters = QueryParameters()
            parameters.add("LocationType", locationType)
            Self.addFilters(filters, to: &parameters)
            parameters.add("NextToken", nextToken)
            let result = try await client.query("DescribeInstanceTypeOfferings", parameters)
            for item in result.list("instanceTypeOfferingSet") {
                offerings.append(
                    InstanceTypeOffering(
                        instanceType: item.string("instanceType") ?? "", locationType: item.string("locationType") ?? "",
                        location: item.string("location") ?? ""))
            }
            nextToken = AWSEnvironment.nonEmpty(result.string("nextToken"))
        } while nextToken != nil
        return offerings
    }
}
