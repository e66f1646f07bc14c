import Logging

/// Everything the service clients share: region, credentials, environment (endpoint overrides),
/// the HTTP client, retry policy and logger.
public struct AWSConfiguration: Sendable {
    public var region: String
    public var credentials: any AWSCredentialProvider
    public var environment: AWSEnvironment
    public var http: CurlHTTPClient
    public var retry: AWSRetryPolicy
    public var logger: Logger

    public init(
        region: String, credentials: any AWSCredentialProvider, environment: AWSEnvironment,
        http: CurlHTTPClient = .shared, retry: AWSRetryPolicy = AWSRetryPolicy(),
        logger: Logger = Logger(label: "gateway.aws")
    ) {
        self.region = region
        self.credentials = credentials
        self.environment = environment
        self.http = http
        self.retry = retry
        self.logger = logger
    }

    /// Resolves the region (`region` argument, else `AWS_REGION`/`AWS_DEFAULT_REGION`/profile) and the
    /// default credential chain from `environment`.
    public static func resolve(
        region: String? = nil, environment: AWSEnvironment = .current, http: CurlHTTPClient = .shared,
        retry: AWSRetryPolicy = AWSRetryPolicy(), logger: Logger = Logger(label: "gateway.aws")
    ) throws -> AWSConfiguration {
        guard let region = AWSEnvironment.nonEmpty(region) ?? environment.region else {
            throw AWSConfigurationError(
                message: "no AWS region given",
                hint: "set region in the deployment config, AWS_REGION, or region in the AWS profile")
        }
        return AWSConfiguration(
            region: region, credentials: try DefaultCredentialChain(environment: environment, http: http),
            environment: environment, http: http, retry: retry, logger: logger)
    }
}
