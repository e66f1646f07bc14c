import Foundation
import GatewayCore

/// Which AMI (and launch template version) a deployment runs, which it ran before, and every rollout
/// that changed it. Kept as `ami-versions.json` in the deployment's workspace directory, written atomically.
public struct AMIVersionRecord: Sendable, Equatable, Codable {
    /// An AMI in use through a launch template version.
    public struct Release: Sendable, Equatable, Codable {
        public var imageID: String
        public var launchTemplateID: String
        public var launchTemplateVersion: String
        public var since: Date
    }

    /// One rollout action and how it ended.
    public struct Entry: Sendable, Equatable, Codable {
        public var time: Date
        /// `rollout`, `rollback` or `cancel`.
        public var action: String
        public var imageID: String?
        public var launchTemplateVersion: String?
        public var refreshID: String?
        /// `started`, `succeeded`, `rolled-back`, `failed`, `cancelled`.
        public var outcome: String
        public var reason: String?
    }

    public var deployment: String
    /// What the group runs (after the last successful rollout or rollback).
    public var current: Release?
    /// What it ran before `current`: the target of a rollback.
    public var previous: Release?
    public var history: [Entry]

    public init(deployment: String) {
        self.deployment = deployment
        history = []
    }

    /// History entries kept (oldest dropped first).
    public static let maximumHistory = 200
}

extension DeploymentWorkspace {
    /// The deployment's `AMIVersionRecord` file.
    public var amiVersionsURL: URL { directory.appendingPathComponent("ami-versions.json") }
}

/// Reads and writes a deployment's `AMIVersionRecord` in its workspace.
public struct AMIVersionStore: Sendable {
    /// The record's file.
    public let file: URL

    /// The store of `workspace`.
    public init(workspace: DeploymentWorkspace) {
        file = workspace.amiVersionsURL
    }

    /// The store of the deployment of `config` under `root` (see `WorkspaceRoot.resolve`).
    public init(config: GatewayConfig, root: WorkspaceRoot) throws {
        self.init(workspace: try root.deployment(named: config.names.deployment))
    }

    /// The record, or an empty one when none was written yet.
    public func load(deployment: String) throws -> AMIVersionRecord {
        guard FileManager.default.fileExists(atPath: file.path) else { return AMIVersionRecord(deployment: deployment) }
        let text = try AtomicFile.readText(file.path)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(AMIVersionRecord.self, from: Data(text.utf8))
        } catch {
            throw OperationError("\(file.path) is not a valid AMI version record", hint: "move it aside; the next rollout writes a new one")
        }
    }

    /// Writes `record` atomically (temp file + rename), creating the directory.
    public func save(_ record: AMIVersionRecord) throws {
        var trimmed = record
        if trimmed.history.count > AMIVersionRecord.maximumHistory {
            trimmed.history.removeFirst(trimmed.history.count - AMIVersionRecord.maximumHistory)
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(try encoder.encode(trimmed), to: file.path, permissions: 0o644)
    }

    /// Loads, changes and saves the record.
    public func update(deployment: String, _ change: (inout AMIVersionRecord) -> Void) throws {
        var record = try load(deployment: deployment)
        change(&record)
        try save(record)
    }
}
