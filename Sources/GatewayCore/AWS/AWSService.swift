/// What the client needs to know about one AWS service: how to sign, where it lives, how it is spoken to.
public struct AWSService: Sendable, Equatable, Hashable {
    /// The wire protocol of the service's API.
    public enum WireProtocol: Sendable, Equatable, Hashable {
        /// Form-encoded POST, XML answer wrapped in `<ActionResult>` (STS, Auto Scaling, ELBv2, CloudWatch).
        case query(version: String)
        /// Form-encoded POST, XML answer without the result wrapper (EC2).
        case ec2(version: String)
        /// JSON POST with `X-Amz-Target: <prefix>.<Action>` (SSM).
        case json(version: String, targetPrefix: String)
        /// REST: the method, path and query name the action, the answer is XML (Route 53).
        case restXML(version: String)
    }

    /// Name in the SigV4 credential scope.
    public let signingName: String
    /// First label of the regional host name.
    public let endpointPrefix: String
    /// Suffix of the service's endpoint override variable, `AWS_ENDPOINT_URL_<ID>`.
    public let environmentID: String
    public let wireProtocol: WireProtocol
    /// Whether the service has one endpoint per partition instead of one per region (Route 53): it is
    /// then signed for the partition's home region, whatever region the configuration names.
    public private(set) var isGlobal = false

    public static let sts = AWSService(
        signingName: "sts", endpointPrefix: "sts", environmentID: "STS", wireProtocol: .query(version: "2011-06-15"))
    public static let ec2 = AWSService(
        signingName: "ec2", endpointPrefix: "ec2", environmentID: "EC2", wireProtocol: .ec2(version: "2016-11-15"))
    public static let autoScaling = AWSService(
        signingName: "autoscaling", endpointPrefix: "autoscaling", environmentID: "AUTO_SCALING",
        wireProtocol: .query(version: "2011-01-01"))
    public static let elbv2 = AWSService(
        signingName: "elasticloadbalancing", endpointPrefix: "elasticloadbalancing",
        environmentID: "ELASTIC_LOAD_BALANCING_V2", wireProtocol: .query(version: "2015-12-01"))
    public static let cloudWatch = AWSService(
        signingName: "monitoring", endpointPrefix: "monitoring", environmentID: "CLOUDWATCH",
        wireProtocol: .query(version: "2010-08-01"))
    public static let ssm = AWSService(
        signingName: "ssm", endpointPrefix: "ssm", environmentID: "SSM",
        wireProtocol: .json(version: "1.1", targetPrefix: "AmazonSSM"))
    public static let route53 = AWSService(
        signingName: "route53", endpointPrefix: "route53", environmentID: "ROUTE_53",
        wireProtocol: .restXML(version: "2013-04-01"), isGlobal: true)

    /// The public endpoint of the service in `region`.
    public func defaultEndpoint(region: String) -> AWSEndpoint {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        if isGlobal {
            let partition = region.hasPrefix("us-gov-") ? ".us-gov" : ""
            return AWSEndpoint(scheme: "https", host: "\(endpointPrefix)\(partition).\(suffix)")
        }
        return AWSEndpoint(scheme: "https", host: "\(endpointPrefix).\(region).\(suffix)")
    }

    /// The region in the credential scope of a call made for `region`: the region itself, or for a
    /// global service the home region of its partition (`us-east-1`, `cn-northwest-1`, `us-gov-west-1`).
    public func signingRegion(for region: String) -> String {
        guard isGlobal else { return region }
        if region.hasPrefix("cn-") { return "cn-northwest-1" }
        if region.hasPrefix("us-gov-") { return "us-gov-west-1" }
        return "us-east-1"
    }
}
