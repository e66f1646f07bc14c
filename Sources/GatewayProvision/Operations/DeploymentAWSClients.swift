import GatewayCore

/// The AWS service clients the deployment operations use, built from one configuration.
public struct DeploymentAWSClients: Sendable {
    public let configuration: AWSConfiguration
    public let ec2: EC2Client
    public let autoScaling: AutoScalingClient
    public let elbv2: ELBv2Client
    public let ssm: SSMClient

    public init(configuration: AWSConfiguration) throws {
        self.configuration = configuration
        ec2 = try EC2Client(configuration: configuration)
        autoScaling = try AutoScalingClient(configuration: configuration)
        elbv2 = try ELBv2Client(configuration: configuration)
        ssm = try SSMClient(configuration: configuration)
    }

    /// The deployment's Auto Scaling group, or an error that names it and says what to do.
    func group(named name: String) async throws -> AutoScalingGroup {
        guard let group = try await autoScaling.describeAutoScalingGroups(names: [name]).first else {
            throw OperationError(
                "the Auto Scaling group \(name) does not exist in \(configuration.region)",
                hint: "apply the deployment first, or check project.name, project.environment and project.region")
        }
        return group
    }

    /// Target health of every target group of `group`, by instance id.
    func targetHealth(of group: AutoScalingGroup) async throws -> [String: String] {
        var health: [String: String] = [:]
        for arn in group.targetGroupARNs {
            for target in try await elbv2.describeTargetHealth(targetGroupARN: arn) {
                // With several target groups, the worst state wins.
                if let existing = health[target.targetID], existing != "healthy" { continue }
                health[target.targetID] = target.state
            }
        }
        return health
    }
}

/// An operation on a deployment could not be done; the message says what and the hint how to fix it.
public struct OperationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let hint: String

    public init(_ message: String, hint: String) {
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(message) (\(hint))" }
}
