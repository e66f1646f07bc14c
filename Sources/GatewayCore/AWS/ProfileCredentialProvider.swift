/// Static keys of the selected profile: the shared `credentials` file first, then the `config` file.
public struct ProfileCredentialProvider: AWSCredentialProvider {
    private let environment: AWSEnvironment

    public init(environment: AWSEnvironment) {
        self.environment = environment
    }

    public func credentials() async throws -> AWSCredentials {
        for (settings, path) in [
            (environment.credentialSettings, environment.credentialsPath),
            (environment.configSettings, environment.configPath),
        ] {
            guard let key = AWSEnvironment.nonEmpty(settings["aws_access_key_id"]) else { continue }
            guard let secret = AWSEnvironment.nonEmpty(settings["aws_secret_access_key"]) else {
                throw AWSCredentialsError(
                    notConfigured: false,
                    message: "profile \(environment.profile) in \(path) has aws_access_key_id but no aws_secret_access_key")
            }
            return AWSCredentials(
                accessKeyID: key, secretAccessKey: secret,
                sessionToken: AWSEnvironment.nonEmpty(settings["aws_session_token"]),
                source: "profile \(environment.profile)")
        }
        throw AWSCredentialsError(
            notConfigured: true,
            message: "profile \(environment.profile) has no keys in \(environment.credentialsPath) or \(environment.configPath)")
    }
}
