import Foundation
import GatewayCore

/// Removing a deployment's workspace. Terraform state is never deleted: a deployment whose resources
/// may still exist is refused, and a removed workspace (state, run records, logs) is moved to
/// `archive/<name>-<time>` under the root rather than deleted.
extension WorkspaceRoot {
    /// Why a deployment's workspace cannot be removed.
    public enum RemovalError: Error, Sendable, Equatable, CustomStringConvertible {
        /// A run is in progress.
        case busy(runID: String?)
        /// Terraform state still lists resources (or, for a remote backend, the last change was
        /// not a successful destroy).
        case resourcesExist(count: Int?)

        public var description: String {
            switch self {
            case .busy(let runID):
                "a run is in progress" + (runID.map { " (\($0))" } ?? "") + "; wait for it or cancel it first"
            case .resourcesExist(let count):
                (count.map { "terraform state still holds \($0) resource\($0 == 1 ? "" : "s")" } ?? "resources may still exist (the last change was not a successful destroy)")
                    + "; destroy the deployment first"
            }
        }
    }

    /// The directory removed workspaces are moved to.
    public var archiveDirectory: URL { url.appendingPathComponent("archive") }

    /// Moves a deployment's workspace to the archive, once nothing runs and no resource remains.
    ///
    /// - Returns: Where the workspace now is.
    /// - Throws: ``RemovalError`` when refused; ``ProvisionError`` when there is no such deployment
    ///   or the move fails.
    @discardableResult
    public func archiveDeployment(named name: String) throws -> URL {
        let workspace = try existingDeployment(named: name)
        // Holding the deployment's lock while checking and moving: no run can start in between.
        guard let lock = try DeploymentLock.acquire(at: workspace.lockURL) else {
            throw RemovalError.busy(runID: workspace.lockHolder()?.runID)
        }
        defer { lock.release() }
        let stateIsLocal = ((try? workspace.storedConfig()) ?? nil).map { $0.state.kind == .local } ?? true
        if stateIsLocal, let count = workspace.managedResourceCount() {
            if count > 0 { throw RemovalError.resourcesExist(count: count) }
        } else {
            let changes = workspace.records().filter { ($0.action == .apply || $0.action == .destroy) && $0.status != .running }
            if let last = changes.last, !(last.action == .destroy && last.status == .succeeded) {
                throw RemovalError.resourcesExist(count: nil)
            }
        }
        let stamp = RunID.make().prefix(16)
        let target = archiveDirectory.appendingPathComponent("\(name)-\(stamp)-\(UInt32.random(in: 0...0xFFFF))")
        do {
            try FileManager.default.createDirectory(at: archiveDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.moveItem(at: workspace.directory, to: target)
        } catch {
            throw ProvisionError(.workspace, "cannot move \(workspace.directory.path) to \(target.path): \(error.localizedDescription)")
        }
        return target
    }
}

extension DeploymentWorkspace {
    /// The number of managed resource instances in the workspace's local terraform state: 0 when
    /// there is no state file, `nil` when it cannot be read.
    public func managedResourceCount() -> Int? {
        guard let data = FileManager.default.contents(atPath: stateFileURL.path) else { return 0 }
        struct State: Decodable {
            struct Resource: Decodable {
                struct Instance: Decodable {}
                var mode: String
                var instances: [Instance]
            }
            var resources: [Resource]?
        }
        guard let state = try? JSONDecoder().decode(State.self, from: data) else { return nil }
        return (state.resources ?? []).filter { $0.mode == "managed" }.reduce(0) { $0 + $1.instances.count }
    }
}
