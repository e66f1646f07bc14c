import Foundation
import GatewayCore

// The bundle a run renders into the workspace.
extension DeploymentOperations {
    /// Writes the bundle into a fresh directory and swaps it in, keeping terraform's provider lock file.
    func render(_ session: RunSession) async -> Bool {
        session.emit(.stepStarted) { event in
            event.step = .render
            event.command = "write \(bundle.description) to \(workspace.bundleDirectory.path)"
        }
        let fresh = workspace.directory.appendingPathComponent("bundle.new-\(session.id)")
        let old = workspace.directory.appendingPathComponent("bundle.old-\(session.id)")
        let files = FileManager.default
        do {
            try? files.removeItem(at: fresh)
            try files.createDirectory(at: fresh, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try bundle.write(config, fresh)
            if files.fileExists(atPath: workspace.bundleDirectory.path) {
                try files.moveItem(at: workspace.bundleDirectory, to: old)
            }
            try files.moveItem(at: fresh, to: workspace.bundleDirectory)
            try? files.removeItem(at: old)
            if files.fileExists(atPath: workspace.terraformDirectory.path) {
                let lockFile = workspace.terraformDirectory.appendingPathComponent(".terraform.lock.hcl")
                if !files.fileExists(atPath: lockFile.path), files.fileExists(atPath: workspace.providerLockCopyURL.path) {
                    try files.copyItem(at: workspace.providerLockCopyURL, to: lockFile)
                }
                if config.state.kind == .local {
                    let override = TerraformDriver.localStateOverride(path: workspace.stateFileURL.path)
                    try WorkspaceFiles.write(
                        Data(override.utf8),
                        to: workspace.terraformDirectory.appendingPathComponent(TerraformDriver.localStateOverrideFileName),
                        permissions: 0o644)
                }
            }
        } catch {
            try? files.removeItem(at: fresh)
            let message = (error as? ProvisionError)?.message ?? "\(error)"
            session.emit(.stepFinished) { event in
                event.step = .render
                event.succeeded = false
                event.message = "render failed: \(message)"
            }
            _ = session.finish(.failed, "rendering the bundle failed: \(message)")
            return false
        }
        session.emit(.stepFinished) { event in
            event.step = .render
            event.succeeded = true
            event.message = "render: bundle written"
        }
        return true
    }

}
