import Foundation
import GatewayCore

/// The config a deployment is kept with between runs, for fronts that hold configs themselves (the
/// REST API stores one per deployment; runs started there use it). It is written as YAML, so that
/// `gw-cli plan deployments/<name>/deployment.yaml` works on it too.
///
/// Only secret *references* are stored (`env:`, `file:`, `ssm:`): a literal value would sit in the
/// workspace in plain text, so a config holding one is refused.
extension DeploymentWorkspace {
    /// A config that cannot be stored; every problem is listed.
    public struct StoreConfigError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The problems, each with the key path concerned.
        public let problems: [ConfigProblem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// The stored config.
    public var storedConfigURL: URL { directory.appendingPathComponent("deployment.yaml", isDirectory: false) }

    /// Whether a config is stored.
    public var hasStoredConfig: Bool { FileManager.default.fileExists(atPath: storedConfigURL.path) }

    /// The problems that keep a config from being stored in this workspace: literal secret values,
    /// and a config whose `project.name-project.environment` is another deployment.
    public func storageProblems(of config: GatewayConfig) -> [ConfigProblem] {
        Self.storageProblems(of: config, name: name)
    }

    /// The problems that keep a config from being stored as deployment `name`.
    public static func storageProblems(of config: GatewayConfig, name: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        if config.names.deployment != name {
            problems.append(
                ConfigProblem(
                    path: "project.name",
                    message: "the config is deployment \(config.names.deployment), not \(name)",
                    hint: "set project.name and project.environment so that <name>-<environment> is \(name), or store it as \(config.names.deployment)"))
        }
        for (path, secret) in config.secrets where secret.exportableLiteral != nil || secret.source == .redacted {
            problems.append(
                ConfigProblem(
                    path: path,
                    message: "a literal secret value cannot be stored",
                    hint: "give a reference instead: env:NAME, file:PATH or ssm:/PATH (pushing the secrets stores their values in SSM)"))
        }
        return problems
    }

    /// Stores a config (atomically, owner-only), replacing the one stored before.
    ///
    /// - Returns: `true` when there was no stored config before.
    /// - Throws: ``StoreConfigError`` listing ``storageProblems(of:)``; ``ProvisionError`` when the
    ///   file cannot be written.
    @discardableResult
    public func storeConfig(_ config: GatewayConfig) throws -> Bool {
        let problems = Self.storageProblems(of: config, name: name)
        guard problems.isEmpty else { throw StoreConfigError(problems: problems) }
        let created = !hasStoredConfig
        try createDirectories()
        let yaml: String
        do {
            yaml = try ConfigYAMLWriter.yaml(for: config)
        } catch {
            throw ProvisionError(.workspace, "the config of \(name) cannot be written as YAML")
        }
        do {
            try GatewayCore.AtomicFile.write(yaml, to: storedConfigURL.path, permissions: 0o600)
        } catch {
            throw ProvisionError(.workspace, "cannot store the config of \(name): \(error.reason)")
        }
        return created
    }

    /// The stored config, or `nil` when none is stored.
    ///
    /// - Throws: ``ProvisionError`` when the stored file cannot be read back.
    public func storedConfig() throws -> GatewayConfig? {
        guard hasStoredConfig else { return nil }
        do {
            return try ConfigLoader.load(file: storedConfigURL.path).config
        } catch {
            throw ProvisionError(.workspace, "the stored config of \(name) cannot be read: \(error.problems.first?.description ?? "unknown problem")")
        }
    }

}

extension DeploymentWorkspace {
    /// The record of the most recent run (reading only that record), or `nil` when there is none.
    public func latestRecord() -> RunRecord? {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory.path)) ?? []
        for id in ids.filter(RunID.isValid).sorted().reversed() {
            if let record = try? record(id) { return record }
        }
        return nil
    }
}

extension WorkspaceRoot {
    /// Stores the config of deployment `name`, creating its workspace when it has none; nothing is
    /// created when the config cannot be stored.
    ///
    /// - Returns: The workspace, and whether the deployment had no stored config before.
    /// - Throws: ``DeploymentWorkspace/StoreConfigError`` or ``ProvisionError``.
    public func storeConfig(_ config: GatewayConfig, named name: String) throws -> (workspace: DeploymentWorkspace, created: Bool) {
        let problems = DeploymentWorkspace.storageProblems(of: config, name: name)
        guard problems.isEmpty else { throw DeploymentWorkspace.StoreConfigError(problems: problems) }
        let workspace = try deployment(named: name)
        return (workspace, try workspace.storeConfig(config))
    }
}
