import Foundation
import GatewayCore

// The image build: packer, and the AMI it records.
extension DeploymentOperations {
    // MARK: - Image build

    /// Builds the node image with packer and records its AMI ID; later plans deploy it.
    ///
    /// The `gw-cli` installed in the image is checked first (see ``NodeBinary``): it must be a
    /// self-contained ELF executable of the image's architecture, or no run starts.
    ///
    /// - Parameters:
    ///   - nodeBinary: The `gw-cli` to install; `nil` takes this installation's own
    ///     (``NodeBinary/defaultPath(runningExecutable:)``).
    ///   - onEvent: Receives every event of the run.
    /// - Throws: ``ProvisionError`` when the node binary is refused, packer is missing or the run
    ///   cannot start.
    public func buildImage(
        nodeBinary: String? = nil, onEvent: @escaping RunEventHandler = { _ in }
    ) async throws -> RunRecord {
        let binary = try NodeBinary.check(
            explicitPath: nodeBinary, architecture: PackerTemplateRenderer.architecture(of: config))
        let packerTool = try PackerTool.locate(environment: environment)
        let tools = try ToolEnvironment(config: config, parent: environment)
        let fingerprint = try ConfigFingerprint(config)
        let packer = PackerDriver(
            tool: packerTool,
            templateDirectory: workspace.packerDirectory.path,
            environment: PackerDriver.environment(from: environment, additions: tools.additions),
            redactedValues: tools.redactedValues,
            stopPolicy: packerStopPolicy,
            runner: runner
        )
        let context = Context(fingerprint: fingerprint, terraform: nil)
        let manifest = workspace.packerDirectory.appendingPathComponent(packerManifestName)
        let region = config.project.region
        return try await perform(.imageBuild, context: context, onEvent: onEvent) { session in
            guard await render(session) else { return session.current }
            let libraries = binary.neededLibraries.isEmpty ? "static" : "needs \(binary.neededLibraries.joined(separator: ", "))"
            session.notice("installing node binary \(binary.path) (\(binary.architecture.rawValue), \(libraries))")
            let version = try? await runner.run(
                ProcessCommand(executable: packerTool.path, arguments: ["version"], environment: packer.environment, timeout: .seconds(60)))
            if let line = version?.standardOutput.first(where: { !$0.isEmpty }) {
                session.update { $0.toolVersions["packer"] = line.replacingOccurrences(of: "Packer ", with: "") }
            }
            for (step, stream) in [(RunStep.packerInit, packer.initialize()), (.packerBuild, packer.build(variables: [PackerTemplateRenderer.nodeBinaryVariable: binary.path]))] {
                if Task.isCancelled { return session.finish(.canceled, "canceled before \(step.rawValue)") }
                if step == .packerBuild { try? FileManager.default.removeItem(at: manifest) }
                guard session.succeeded(await session.runProcess(step, stream), step.rawValue) != nil else { return session.current }
            }
            do {
                let images = try PackerManifest.read(from: manifest.path).latestImages()
                let image = images.first { $0.region == region } ?? images[0]
                session.update { record in
                    record.amiID = image.amiID
                    record.amiRegion = image.region
                }
                session.emit(.imageBuilt) { $0.image = image }
                return session.finish(.succeeded, "built \(image.amiID) in \(image.region)")
            } catch let error as ProvisionError {
                return session.finish(.failed, error.message)
            } catch {
                return session.finish(.failed, "\(error)")
            }
        }
    }
}
