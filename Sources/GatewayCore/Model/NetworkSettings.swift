/// The VPC the gateway runs in: two or three availability zones, private subnets for the instances,
/// public subnets for the load balancer, NAT and VPC endpoints.
///
/// Zones come from the region, never from a naming pattern: Terraform reads the region's available
/// zones that need no opt-in (`data "aws_availability_zones"`) and takes the first ``zoneCount`` in
/// name order (ap-northeast-1 offers new accounts a, c and d; us-west-1 only two), unless
/// ``availabilityZones`` names them.
public struct NetworkSettings: Codable, Sendable, Equatable {
    /// The VPC's IPv4 CIDR. Subnets are derived from it unless given (private: `cidrsubnet(cidr, 2, i)`,
    /// public: `cidrsubnet(cidr, 4, 12 + i)`).
    public var vpcCidr: String
    /// How many zones the deployment spans: 2 or 3; 0 means the region's usual count
    /// (``AWSRegions/usualZoneCount(of:)``: 3, or 2 where new accounts get two zones).
    public var zoneCount: Int
    /// Two or three zone names in subnet order, checked against the region's available zones at plan
    /// time; empty means the region's first available zones. When given, they set the zone count.
    public var availabilityZones: [String]
    /// Private subnet CIDRs (one per zone), empty to derive them.
    public var privateSubnets: [String]
    /// Public subnet CIDRs (one per zone), empty to derive them.
    public var publicSubnets: [String]
    /// NAT gateways for the private subnets.
    public var natGateways: NATMode
    /// VPC endpoints to create.
    public var endpoints: VPCEndpointSettings

    /// Creates network settings with the defaults (a /16, the region's zones, derived subnets, one NAT,
    /// all endpoints).
    public init(
        vpcCidr: String = "10.10.0.0/16",
        zoneCount: Int = 0,
        availabilityZones: [String] = [],
        privateSubnets: [String] = [],
        publicSubnets: [String] = [],
        natGateways: NATMode = .single,
        endpoints: VPCEndpointSettings = .init()
    ) {
        self.vpcCidr = vpcCidr
        self.zoneCount = zoneCount
        self.availabilityZones = availabilityZones
        self.privateSubnets = privateSubnets
        self.publicSubnets = publicSubnets
        self.natGateways = natGateways
        self.endpoints = endpoints
    }

    /// The zone counts a deployment may span.
    public static let allowedZoneCounts = 2...3

    /// The number of zones in effect: the named zones' count, else ``zoneCount``, else the region's
    /// usual count.
    public func effectiveZoneCount(region: String) -> Int {
        if !availabilityZones.isEmpty { return availabilityZones.count }
        if zoneCount != 0 { return zoneCount }
        return AWSRegions.usualZoneCount(of: region)
    }
}

/// How many NAT gateways serve the private subnets.
public enum NATMode: String, Codable, Sendable, Equatable, CaseIterable {
    /// No NAT: instances reach only what the VPC endpoints offer.
    case none
    /// One NAT gateway shared by all zones (reference default).
    case single
    /// One NAT gateway per zone, for zone-independent egress.
    case perZone = "per-zone"
}

/// VPC endpoints: an S3 gateway endpoint and interface endpoints for SSM and CloudWatch.
public struct VPCEndpointSettings: Codable, Sendable, Equatable {
    /// S3 gateway endpoint on every private route table.
    public var s3: Bool
    /// Interface endpoints by service short name; allowed: `ssm`, `ssmmessages`, `ec2messages`, `logs`, `monitoring`.
    public var interfaces: [String]

    /// All interface endpoints the instances use.
    public static let supportedInterfaces = ["ssm", "ssmmessages", "ec2messages", "logs", "monitoring"]

    /// Creates endpoint settings; by default every supported endpoint is created.
    public init(s3: Bool = true, interfaces: [String] = VPCEndpointSettings.supportedInterfaces) {
        self.s3 = s3
        self.interfaces = interfaces
    }
}
