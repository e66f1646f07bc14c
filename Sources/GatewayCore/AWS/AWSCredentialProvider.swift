/// Something that yields AWS credentials: a fixed set, the environment, a shared profile, the instance role,
/// or a chain of these.
public protocol AWSCredentialProvider: Sendable {
    /// Current credentials; implementations refresh temporary credentials before they expire.
    func credentials() async throws -> AWSCredentials
}

/// A provider that always returns the same credentials.
public struct StaticCredentialProvider: AWSCredentialProvider {
    private let value: AWSCredentials

    public init(_ credentials: AWSCredentials) {
        value = credentials
    }

    public func credentials() async throws -> AWSCredentials { value }
}
