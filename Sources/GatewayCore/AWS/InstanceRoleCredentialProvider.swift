import Foundation

/// Temporary credentials of the EC2 instance's IAM role, read through IMDSv2. They are cached and fetched
/// again when they come within `refreshMargin` of their expiration; concurrent callers share one fetch.
public actor InstanceRoleCredentialProvider: AWSCredentialProvider {
    private let metadata: InstanceMetadataClient
    private let refreshMargin: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?

    /// - Parameters:
    ///   - refreshMargin: how long before expiry the credentials are replaced (SDKs use minutes).
    ///   - now: the clock the expiry is compared with.
    public init(metadata: InstanceMetadataClient, refreshMargin: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }) {
        self.metadata = metadata
        self.refreshMargin = refreshMargin
        self.now = now
    }

    public func credentials() async throws -> AWSCredentials {
        if let cached, !cached.expires(within: refreshMargin, of: now()) { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { [metadata] in try await Self.fetch(metadata) }
        inFlight = task
        defer { inFlight = nil }
        let fresh = try await task.value
        cached = fresh
        return fresh
    }

    private struct RoleCredentials: Decodable {
        let Code: String?
        let AccessKeyId: String?
        let SecretAccessKey: String?
        let Token: String?
        let Expiration: String?
    }

    private static func fetch(_ metadata: InstanceMetadataClient) async throws -> AWSCredentials {
        let base = "/latest/meta-data/iam/security-credentials/"
        let roles = try await metadata.get(base)
        guard let role = roles.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw AWSCredentialsError(notConfigured: true, message: "the instance has no IAM role")
        }
        let body = try await metadata.get(base + role)
        guard let decoded = try? JSONDecoder().decode(RoleCredentials.self, from: Data(body.utf8)) else {
            throw AWSCredentialsError(notConfigured: false, message: "instance role \(role): credentials are not JSON")
        }
        guard decoded.Code == nil || decoded.Code == "Success", let key = decoded.AccessKeyId,
            let secret = decoded.SecretAccessKey
        else {
            throw AWSCredentialsError(
                notConfigured: false, message: "instance role \(role): credentials not available (\(decoded.Code ?? "no code"))")
        }
        let expiration = decoded.Expiration.flatMap(AWSTimestamp.parseISO8601)
        return AWSCredentials(
            accessKeyID: key, secretAccessKey: secret, sessionToken: decoded.Token, expiration: expiration,
            source: "instance role \(role)")
    }
}
