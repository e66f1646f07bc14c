/// AWS STS: who the credentials belong to.
public struct STSClient: Sendable {
    public let client: AWSClient

    public init(configuration: AWSConfiguration) throws {
        client = try AWSClient(service: .sts, configuration: configuration)
    }

    /// The identity of the caller.
    public struct CallerIdentity: Sendable, Equatable, Codable {
        public let account: String
        public let arn: String
        public let userID: String
    }

    /// `GetCallerIdentity`.
    public func getCallerIdentity() async throws -> CallerIdentity {
        let result = try await client.query("GetCallerIdentity")
        return CallerIdentity(
            account: result.string("Account") ?? "", arn: result.string("Arn") ?? "", userID: result.string("UserId") ?? "")
    }
}
