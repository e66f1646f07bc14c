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
