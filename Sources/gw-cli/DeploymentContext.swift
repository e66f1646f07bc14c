import ArgumentParser
import Foundation
import GatewayCore
import GatewayProvision

/// What a deploy command needs: the loaded and validated config, the workspace root, and the
/// operations on the config's deployment.
struct DeploymentContext {
    let file: String
    let config: GatewayConfig
    let root: WorkspaceRoot
    let operations: DeploymentOperations

    /// Loads `file`, validates it unless `validate` is false (printing every problem and failing on
    /// errors), and opens the deployment's workspace.
    init(file: String, workspace: WorkspaceOptions, bundleDirectory: String? = nil, validate: Bool = true) throws {
        let environment = ProcessInfo.processInfo.environment
        let loaded: LoadedConfig
        do {
            loaded = try ConfigLoader.load(file: file)
        } catch {
            for problem in error.allProblems() { Terminal.error(problem.formatted(file: file)) }
            throw ExitCode.failure
        }
        let problems = validate ? loaded.validate() : []
        if ConfigValidator.hasErrors(problems) {
            for problem in problems { Terminal.error(problem.formatted(file: file)) }
            Terminal.error("\(file): fix these problems first (`gw-cli validate \(file)` lists them)")
            throw ExitCode.failure
        }
        self.file = file
        config = loaded.config
        let root = WorkspaceRoot.resolve(explicit: workspace.workspaceRoot, environment: environment)
        let bundle = bundleDirectory.map { BundleSource.directory(URL(fileURLWithPath: $0)) } ?? .rendered
        self.root = root
        operations = try Self.provision {
            try DeploymentOperations(root: root, config: loaded.config, bundle: bundle, environment: environment)
        }
    }

    /// Runs `body`, printing a ``ProvisionError`` as a one-line error and failing.
    static func provision<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ProvisionError {
            Terminal.error("error: \(error.message)")
            throw ExitCode.failure
        }
    }

    /// Runs `body`, printing a ``ProvisionError`` as a one-line error and failing.
    static func provision<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ProvisionError {
            Terminal.error("error: \(error.message)")
            throw ExitCode.failure
        }
    }
}

/// Finds the workspace holding a run, for the commands that take only a run ID.
enum RunLocator {
    static func workspace(holding runID: String, options: WorkspaceOptions) throws -> DeploymentWorkspace {
        let root = WorkspaceRoot.resolve(explicit: options.workspaceRoot, environment: ProcessInfo.processInfo.environment)
        return try DeploymentContext.provision { try root.deployment(holdingRun: runID) }
    }
}
