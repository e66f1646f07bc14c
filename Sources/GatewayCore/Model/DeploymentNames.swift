/// The names a deployment gives its AWS resources and parameters, derived in one place so that the
/// rendered Terraform, the AWS operations and the node agree.
public struct DeploymentNames: Sendable, Equatable {
    /// `<project>-<environment>`, the prefix of every name.
    public let prefix: String
    /// The deployment's name as used for workspaces: same as ``prefix``.
    public var deployment: String { prefix }
    /// Load balancer name (≤ 32 characters).
    public var loadBalancer: String { "\(prefix)-s3" }
    /// Target group name (≤ 32 characters).
    public var targetGroup: String { "\(prefix)-proxy" }
    /// Auto Scaling Group name.
    public var autoScalingGroup: String { "\(prefix)-asg" }
    /// Launch template name.
    public var launchTemplate: String { "\(prefix)-node" }
    /// SSM parameter path holding the deployment's secrets (no trailing slash).
    public var parameterPath: String { "/gateway/\(prefix)" }
    /// CloudWatch log group prefix.
    public var logGroupPrefix: String { "/gateway/\(prefix)" }
    /// Log group of the instances' system log (journal via syslog).
    public var nodeLogGroup: String { "\(logGroupPrefix)/node" }
    /// Log group of the proxies' access logs.
    public var accessLogGroup: String { "\(logGroupPrefix)/access" }
    /// Log group of the instances' boot output (cloud-init).
    public var bootLogGroup: String { "\(logGroupPrefix)/boot" }
    /// Log group of the proxies' metrics imported by the CloudWatch agent (embedded metric format).
    public var metricsLogGroup: String { "\(logGroupPrefix)/metrics" }
    /// Log group of the VPC flow log (rejected traffic).
    public var flowLogGroup: String { "\(logGroupPrefix)/vpc-flow-logs" }
    /// IAM role (and instance profile) of the instances.
    public var instanceRole: String { "\(prefix)-node" }
    /// CloudWatch dashboard name.
    public var dashboard: String { prefix }

    /// The longest prefix that keeps every derived load balancer and target group name within 32 characters.
    public static let maximumPrefixLength = 32 - "-proxy".count

    /// Derives the names from project settings.
    public init(project: ProjectSettings) {
        prefix = "\(project.name)-\(project.environment)"
    }

    /// The SSM parameter name of a secret at a config key path, e.g. `filespaces[0].password`
    /// becomes `/gateway/<prefix>/filespaces/0/password`.
    public func parameterName(forSecretAt path: String) -> String {
        var components: [String] = []
        for part in path.split(separator: ".") {
            if let open = part.firstIndex(of: "[") {
                components.append(String(part[..<open]))
                components.append(String(part[part.index(after: open)...].dropLast()))
            } else {
                components.append(String(part))
            }
        }
        return parameterPath + "/" + components.joined(separator: "/")
    }
}
