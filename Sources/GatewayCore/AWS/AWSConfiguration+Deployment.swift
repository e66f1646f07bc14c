import Logging

extension AWSConfiguration {
    /// The AWS access of a deployment: its region, and the credentials its config names (`aws.accessKeyId`
    /// and `aws.secretAccessKey`, resolved locally), else its `aws.profile`, else the default chain.
    /// Endpoint overrides (`AWS_ENDPOINT_URL...`) come from `environment`.
    public static func deployment(
        _ config: GatewayConfig, environment variables: [String: String], http: CurlHTTPClient = .shared,
        retry: AWSRetryPolicy = AWSRetryPolicy(), logger: Logger = Logger(label: "gateway.aws")
    ) throws -> AWSConfiguration {
        var variables = variables
        if !config.aws.profile.isEmpty { variables["AWS_PROFILE"] = config.aws.profile }
        let environment = AWSEnvironment(variables: variables)
        if config.aws.accessKeyId.isSet || config.aws.secretAccessKey.isSet {
            let resolver = SecretResolver(environment: variables)
            let key = try resolver.resolveLocally(config.aws.accessKeyId, field: "aws.accessKeyId")
            let secret = try resolver.resolveLocally(config.aws.secretAccessKey, field: "aws.secretAccessKey")
            let credentials = AWSCredentials(accessKeyID: key, secretAccessKey: secret, source: "deployment config")
            return AWSConfiguration(
                region: config.project.region, credentials: StaticCredentialProvider(credentials),
                environment: environment, http: http, retry: retry, logger: logger)
        }
        return try AWSConfiguration.resolve(
            region: config.project.region, environment: environment, http: http, retry: retry, logger: logger)
    }
}
