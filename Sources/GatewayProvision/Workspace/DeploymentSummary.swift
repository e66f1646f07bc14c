import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What a list of deployments shows about each: whether a config is stored and since when, the run
/// holding it, and its latest run. Read with a handful of system calls per deployment (one `stat`
/// for the config instead of Foundation's attribute dictionary), so listing many deployments stays
/// cheap.
public struct DeploymentSummary: Sendable {
    /// The deployment's workspace.
    public let workspace: DeploymentWorkspace
    /// Whether a config is stored (see ``DeploymentWorkspace/storeConfig(_:)``).
    public let hasStoredConfig: Bool
    /// When the config was last stored.
    public let storedConfigDate: Date?
    /// The run holding the deployment's lock, if its owner is alive.
    public let runningRun: LockHolder?
    /// The most recent run's record.
    public let latestRecord: RunRecord?

    /// Reads the summary of one workspace.
    public init(_ workspace: DeploymentWorkspace) {
        self.workspace = workspace
        var info = stat()
        if stat(workspace.storedConfigURL.path, &info) == 0 {
            hasStoredConfig = true
            #if canImport(Darwin)
            let time = info.st_mtimespec
            #else
            let time = info.st_mtim
            #endif
            storedConfigDate = Date(timeIntervalSince1970: TimeInterval(time.tv_sec) + TimeInterval(time.tv_nsec) / 1_000_000_000)
        } else {
            hasStoredConfig = false
            storedConfigDate = nil
        }
        runningRun = workspace.lockHolder()
        latestRecord = workspace.latestRecord()
    }
}

extension WorkspaceRoot {
    /// The summary of every deployment with a workspace, sorted by name.
    public func deploymentSummaries() -> [DeploymentSummary] {
        deploymentNames().compactMap { name in
            (try? DeploymentWorkspace(root: self, name: name)).map(DeploymentSummary.init)
        }
    }
}
