import GatewayCore

/// Renders the `terraform/` part of a bundle: plain `aws_*` resources, no registry modules, so the
/// project reads and checks offline.
enum TerraformProjectRenderer {
    /// The directory of the project inside the bundle.
    static let directory = "terraform"

    struct Output {
        let files: [RenderedFile]
        let resources: [String: Int]
        let dataSources: [String: Int]
    }

    static func render(_ config: GatewayConfig) throws(BundleRenderError) -> Output {
        let context = try TerraformContext(config: config)
        var module = TerraformModule()
        let variables = TerraformVariables.all(context)
        TerraformSettings.render(context, into: &module)
        TerraformVariables.declarations(context, variables: variables, into: &module)
        TerraformNetwork.render(context, into: &module)
        TerraformLoadBalancer.render(context, into: &module)
        if context.accessLogs {
            TerraformAccessLogs.render(context, into: &module)
        }
        TerraformCompute.render(context, into: &module)
        TerraformDNS.render(context, into: &module)
        TerraformIAM.render(context, into: &module)
        TerraformMonitoring.render(context, into: &module)
        TerraformOutputs.render(context, into: &module)

        let writer = HCLWriter()
        var files: [RenderedFile] = []
        for name in module.fileNames {
            guard let body = module.bodies[name] else { continue }
            files.append(RenderedFile(path: "\(directory)/\(name)", contents: writer.write(body)))
        }
        files.append(RenderedFile(path: "\(directory)/terraform.tfvars.json", contents: TerraformVariables.values(variables)))
        return Output(files: files, resources: module.resources, dataSources: module.dataSources)
    }
}
