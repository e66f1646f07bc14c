/// Identity of a deployment: its name, environment, AWS region and the tags put on every resource.
public struct ProjectSettings: Codable, Sendable, Equatable {
    /// Lowercase name prefix for every resource (`^[a-z][a-z0-9-]*$`). Reference: `s3-gateway`.
    public var name: String
    /// Environment label, e.g. `dev`, `staging`, `prod`.
    public var environment: String
    /// AWS region, e.g. `us-east-1` (reference default).
    public var region: String
    /// Extra tags merged into every resource's tags (`Project` and `ManagedBy` are always set).
    public var tags: StringMap

    /// Creates project settings with the reference defaults.
    public init(name: String = "s3-gateway", environment: String = "prod", region: String = "us-east-1", tags: StringMap = [:]) {
        self.name = name
        self.environment = environment
        self.region = region
        self.tags = tags
    }
}

/// How terraform, packer and the AWS client find AWS credentials.
///
/// Leave everything empty to use the standard chain (environment, shared files, instance role).
public struct AWSAccessSettings: Codable, Sendable, Equatable {
    /// A named profile from `~/.aws/config`; empty for the default chain.
    public var profile: String
    /// An access key id (usually `env:AWS_ACCESS_KEY_ID`); empty for the default chain.
    public var accessKeyId: Secret
    /// The matching secret access key; empty for the default chain.
    public var secretAccessKey: Secret

    /// Creates AWS access settings; all empty means the SDK's default credential chain.
    public init(profile: String = "", accessKeyId: Secret = .unset, secretAccessKey: Secret = .unset) {
        self.profile = profile
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
    }
}
