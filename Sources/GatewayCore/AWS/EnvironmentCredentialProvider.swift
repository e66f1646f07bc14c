/// Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`.
public struct EnvironmentCredentialProvider: AWSCredentialProvider {
    private let environment: AWSEnvironment

    public init(environment: AWSEnvironment) {
        self.environment = environment
    }

    public func credentials() async throws -> AWSCredentials {
        let variables = environment.variables
        guard let key = AWSEnvironment.nonEmpty(variables["AWS_ACCESS_KEY_ID"]) else {
            throw AWSCredentialsError(notConfigured: true, message: "AWS_ACCESS_KEY_ID is not set")
        }
        guard let secret = AWSEnvironment.nonEmpty(variables["AWS_SECRET_ACCESS_KEY"]) else {
            throw AWSCredentialsError(
                notConfigured: false, message: "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        }
        let token =
            AWSEnvironment.nonEmpty(variables["AWS_SESSION_TOKEN"])
            ?? AWSEnvironment.nonEmpty(variables["AWS_SECURITY_TOKEN"])
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token, source: "environment")
    }
}
