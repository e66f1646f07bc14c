import GatewayCore

/// Renders the `node/` part of a bundle: `node.json`, the systemd units, the helper scripts the units
/// run, the CloudWatch agent config and the boot script that installs them on an instance.
enum NodeBundleRenderer {
    /// The directory of the node bundle inside the bundle.
    static let directory = "node"
    /// The boot script's path inside the bundle (Terraform reads it with `filebase64`).
    static let userDataPath = "\(directory)/user-data.sh"

    static func render(_ config: GatewayConfig) throws(BundleRenderError) -> [RenderedFile] {
        let node = NodeConfig(deployment: config)
        let nodeJSON: String
        do {
            nodeJSON = try JSONValue(encoding: node).text
        } catch {
            throw BundleRenderError(path: "", message: "cannot encode the node config: \(error)", hint: "report this as a bug")
        }
        var files = [RenderedFile(path: "\(directory)/node.json", contents: nodeJSON)]
        var installed = [UserDataScript.InstalledFile(path: NodeLayout.configPath, mode: "0644", contents: nodeJSON)]

        for unit in NodeUnits.all(config, node: node) {
            files.append(RenderedFile(path: "\(directory)/\(NodeUnits.directory)/\(unit.name)", contents: unit.text))
            installed.append(.init(path: "\(NodeLayout.unitDirectory)/\(unit.name)", mode: "0644", contents: unit.text))
        }
        for script in NodeHelperScripts.all {
            files.append(RenderedFile(path: "\(directory)/\(NodeHelperScripts.directory)/\(script.name)", contents: script.text, mode: 0o755))
        }
        let cloudWatch = config.monitoring.cloudWatch
        if cloudWatch {
            let agent = CloudWatchAgentConfig.render(config)
            files.append(RenderedFile(path: "\(directory)/cloudwatch-agent.json", contents: agent))
            installed.append(.init(path: NodeLayout.cloudWatchAgentConfigPath, mode: "0644", contents: agent))
        }
        let userData = try UserDataScript.render(config, files: installed, cloudWatch: cloudWatch)
        files.append(RenderedFile(path: userDataPath, contents: userData, mode: 0o755))
        return files
    }
}
