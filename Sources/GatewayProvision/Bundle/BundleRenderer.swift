import GatewayCore

/// Renders a deployment's bundle from its config: a Terraform project (`terraform/`), a Packer template
/// (`packer/`) and the node bundle (`node/`).
///
/// Rendering is pure: the same config always gives the same files, byte for byte, and nothing is read
/// or written. Write the result with ``RenderedBundle/write(to:force:)``. No secret value is rendered:
/// instances read secrets from SSM under ``DeploymentNames/parameterPath`` with their instance role.
///
/// ```swift
/// let loaded = try ConfigLoader.load(file: "gateway.yaml")
/// let bundle = try BundleRenderer.render(loaded.config)
/// try bundle.write(to: URL(fileURLWithPath: "out"), force: false)
/// ```
public enum BundleRenderer {
    /// Renders the bundle of a config.
    /// - Parameter config: A config without validation errors (see ``ConfigValidator``).
    /// - Returns: The files and a summary.
    /// - Throws: ``BundleRenderError`` when the config has validation errors or cannot be rendered.
    public static func render(_ config: GatewayConfig) throws(BundleRenderError) -> RenderedBundle {
        let problems = ConfigValidator().validate(config).filter { $0.severity == .error }
        if let first = problems.first {
            let more = problems.count > 1 ? " (and \(problems.count - 1) more problem\(problems.count == 2 ? "" : "s"))" : ""
            throw BundleRenderError(path: first.path, message: first.message + more, hint: "fix the config first; validating it lists every problem")
        }
        let terraform = try TerraformProjectRenderer.render(config)
        let node = try NodeBundleRenderer.render(config)
        let packer = PackerTemplateRenderer.render(config)
        let files = terraform.files + packer + node
        let summary = RenderSummary(
            deployment: config.names.deployment,
            files: files.map(\.path).sorted(),
            resourcesByType: terraform.resources,
            dataSourcesByType: terraform.dataSources
        )
        return RenderedBundle(files: files, summary: summary)
    }
}
