import Foundation
import GatewayCore

/// Atomic writes of workspace files (through ``AtomicFile``), owner-only by default, with errors
/// as ``ProvisionError``.
enum WorkspaceFiles {
    /// Writes `data` to `url` atomically.
    static func write(_ data: Data, to url: URL, permissions: Int = 0o600) throws {
        do {
            try AtomicFile.write(data, to: url.path, permissions: permissions)
        } catch {
            throw ProvisionError(.workspace, "\(error); check the workspace directory's permissions and free space")
        }
    }

    /// Encodes `value` as pretty JSON and writes it atomically.
    static func writeJSON<Value: Encodable>(_ value: Value, to url: URL) throws {
        try write(WorkspaceCoding.prettyData(value), to: url)
    }
}
