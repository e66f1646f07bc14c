import Foundation

/// The directory that holds every deployment's workspace: `--workspace-root`, else `GW_HOME`,
/// else `~/.gateway`.
public struct WorkspaceRoot: Sendable, Equatable {
    /// The environment variable naming the root directory.
    public static let environmentVariable = "GW_HOME"

    /// The root directory.
    public let url: URL

    /// Uses `url` as the root.
    public init(url: URL) {
        self.url = url.standardizedFileURL
    }

    /// The root chosen by precedence: an explicit path, then `GW_HOME`, then `~/.gateway`.
    ///
    /// - Parameters:
    ///   - explicit: The value of `--workspace-root`, if given.
    ///   - environment: The environment to read `GW_HOME` and `HOME` from.
    public static func resolve(explicit: String?, environment: [String: String]) -> WorkspaceRoot {
        if let explicit, !explicit.isEmpty {
            return WorkspaceRoot(url: URL(fileURLWithPath: explicit))
        }
        if let home = environment[environmentVariable], !home.isEmpty {
            return WorkspaceRoot(url: URL(fileURLWithPath: home))
        }
        let userHome = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return WorkspaceRoot(url: URL(fileURLWithPath: userHome).appendingPathComponent(".gateway"))
    }

    /// The directory of all deployments.
    public var deploymentsDirectory: URL { url.appendingPathComponent("deployments", isDirectory: true) }

    /// The workspace of the deployment called `name`, created if it does not exist yet.
    ///
    /// - Throws: ``ProvisionError`` when the name cannot be a directory name or the directory
    ///   cannot be created.
    public func deployment(named name: String) throws -> DeploymentWorkspace {
        let workspace = try DeploymentWorkspace(root: self, name: name)
        try workspace.createDirectories()
        return workspace
    }

    /// The workspace of an existing deployment.
    ///
    /// - Throws: ``ProvisionError`` (``ProvisionError/Code/notFound``) when there is none.
    public func existingDeployment(named name: String) throws -> DeploymentWorkspace {
        let workspace = try DeploymentWorkspace(root: self, name: name)
        guard FileManager.default.fileExists(atPath: workspace.directory.path) else {
            throw ProvisionError(.notFound, "there is no deployment \(name) in \(url.path); plan it first")
        }
        return workspace
    }

    /// The names of every deployment with a workspace, sorted.
    public func deploymentNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: deploymentsDirectory.path)) ?? []
        return names.filter { DeploymentWorkspace.isValidName($0) }.sorted()
    }

    /// The workspace holding run `id` (run IDs are unique across deployments).
    ///
    /// - Throws: ``ProvisionError`` when the ID is malformed or no deployment has such a run.
    public func deployment(holdingRun id: String) throws -> DeploymentWorkspace {
        guard RunID.isValid(id) else {
            throw ProvisionError(.invalidArgument, "\(id) is not a run ID (they look like 20261127T095018Z-3fa2c1; the list of runs shows them)")
        }
        for name in deploymentNames() {
            let workspace = try DeploymentWorkspace(root: self, name: name)
            if FileManager.default.fileExists(atPath: workspace.recordURL(id).path) { return workspace }
        }
        throw ProvisionError(.notFound, "no run \(id) in \(url.path); the list of runs shows them")
    }
}
