/// Where terraform keeps the deployment's state.
public struct StateBackendSettings: Codable, Sendable, Equatable {
    /// `local` (in the deployment's workspace) or `s3`.
    public var kind: StateBackendKind
    /// S3 bucket for the state (kind `s3`).
    public var bucket: String
    /// Object key of the state; empty derives `<project>/<environment>/terraform.tfstate`.
    public var key: String
    /// Region of the state bucket; empty means the deployment's region.
    public var region: String
    /// DynamoDB table for locking; empty uses S3-native locking (`use_lockfile`).
    public var dynamoDBTable: String

    /// Creates state settings; local state by default.
    public init(kind: StateBackendKind = .local, bucket: String = "", key: String = "", region: String = "", dynamoDBTable: String = "") {
        self.kind = kind
        self.bucket = bucket
        self.key = key
        self.region = region
        self.dynamoDBTable = dynamoDBTable
    }
}

/// Terraform backend kind.
public enum StateBackendKind: String, Codable, Sendable, Equatable, CaseIterable {
    /// State in the deployment's workspace directory.
    case local
    /// State in S3 with locking.
    case s3
}
