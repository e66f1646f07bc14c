/// The VPC the gateway runs in: three availability zones, private subnets for the instances, public
/// subnets for the load balancer, NAT and VPC endpoints.
public struct NetworkSettings: Codable, Sendable, Equatable {
    /// The VPC's IPv4 CIDR. Subnets are derived from it unless given (private: `cidrsubnet(cidr, 2, i)`,
    /// public: `cidrsubnet(cidr, 4, 12 + i)`).
    public var vpcCidr: String
    /// Exactly three availability zones; empty means the region's `a`, `b` and `c` zones.
    public var availabilityZones: [String]
    /// Private subnet CIDRs (one per zone), empty to derive them.
    public var privateSubnets: [String]
    /// Public subnet CIDRs (one per zone), empty to derive them.
    public var publicSubnets: [String]
    /// NAT gateways for the private subnets.
    public var natGateways: NATMode
    /// VPC endpoints to create.
    public var endpoints: VPCEndpointSettings

    /// Creates network settings with the defaults (a /16, derived subnets, one NAT, all endpoints).
    public init(
        vpcCidr: String = "10.10.0.0/16",
        availabilityZones: [String] = [],
        privateSubnets: [String] = [],
        publicSubnets: [String] = [],
        natGateways: NATMode = .single,
        endpoints: VPCEndpointSettings = .init()
    ) {
        self.vpcCidr = vpcCidr
        self.availabilityZones = availabilityZones
        self.privateSubnets = privateSubnets
        self.publicSubnets = publicSubnets
        self.natGateways = natGateways
        self.endpoints = endpoints
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
