/// The AWS SDKs' default order: environment variables, the shared credentials/config files (profile),
/// then the EC2 instance role over IMDSv2 (skipped when `AWS_EC2_METADATA_DISABLED=true`).
/// The first source that has credentials is kept for later calls.
public actor DefaultCredentialChain: AWSCredentialProvider {
    private let providers: [(name: String, provider: any AWSCredentialProvider)]
    private var chosen: (any AWSCredentialProvider)?

    public init(environment: AWSEnvironment, http: CurlHTTPClient = .shared) throws {
        var providers: [(String, any AWSCredentialProvider)] = [
            ("environment", EnvironmentCredentialProvider(environment: environment)),
            ("shared files", ProfileCredentialProvider(environment: environment)),
        ]
        if environment.variables["AWS_EC2_METADATA_DISABLED"]?.lowercased() != "true" {
            let metadata = try InstanceMetadataClient(environment: environment, http: http)
            providers.append(("instance role", InstanceRoleCredentialProvider(metadata: metadata)))
        }
        self.providers = providers
    }

    public func credentials() async throws -> AWSCredentials {
        if let chosen { return try await chosen.credentials() }
        var reasons: [String] = []
        for (name, provider) in providers {
            do {
                let credentials = try await provider.credentials()
                chosen = provider
                return credentials
            } catch let error as AWSCredentialsError where error.notConfigured || provider is InstanceRoleCredentialProvider {
                // Off EC2 the metadata service is absent or answers oddly: that means "no role here".
                reasons.append("\(name): \(error.message)")
            }
        }
        throw AWSCredentialsError(
            notConfigured: true,
            message: "no AWS credentials found (" + reasons.joined(separator: "; ")
                + "); set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or run on an instance with a role")
    }
}
