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
    }

    /// Name in the SigV4 credential scope.
    public let signingName: String
    /// First label of the regional host name.
    public let endpointPrefix: String
    /// Suffix of the service's endpoint override variable, `AWS_ENDPOINT_URL_<ID>`.
    public let environmentID: String
    public let wireProtocol: WireProtocol

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

    /// The public endpoint of the service in `region`.
    public func defaultEndpoint(region: String) -> AWSEndpoint {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return AWSEndpoint(scheme: "https", host: "\(endpointPrefix).\(region).\(suffix)")
    }
}
