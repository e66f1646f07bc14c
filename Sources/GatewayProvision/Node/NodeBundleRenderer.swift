import GatewayCore

/// Renders the `node/` part of a bundle: `node.json`, the systemd units, the CloudWatch agent's
/// configuration and the boot script that installs them on an instance.
///
/// The units are the node runtime's own (`GatewayCore.NodeUnits`): `gw-cli node apply` installs and
/// starts them at boot from `node.json`, so the bundle shows exactly what will run, and the boot
/// script installs only `node.json` and the setup unit that runs `gw-cli node apply`.
enum NodeBundleRenderer {
    /// The directory of the node bundle inside the bundle.
    static let directory = "node"
    /// The directory of the units inside the node bundle.
    static let unitDirectory = "\(directory)/systemd"
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
        var installed = [UserDataScript.InstalledFile(path: NodePaths.nodeConfig, mode: "0644", contents: nodeJSON)]

        for unit in NodeUnits.all(for: node) {
            files.append(RenderedFile(path: "\(unitDirectory)/\(unit.name)", contents: unit.text))
        }
        let setup = NodeSetupUnit.file
        installed.append(.init(path: "\(NodePaths.unitDirectory)/\(setup.name)", mode: "0644", contents: setup.text))

        let cloudWatch = config.monitoring.cloudWatch
        if cloudWatch {
            let agent = CloudWatchAgentConfig.render(config)
            files.append(RenderedFile(path: "\(directory)/cloudwatch-agent.json", contents: agent))
            installed.append(.init(path: CloudWatchAgentConfig.configPath, mode: "0644", contents: agent))
            if CloudWatchAgentConfig.importsProxyMetrics(config) {
                let scrape = CloudWatchAgentConfig.prometheusScrape(config)
                files.append(RenderedFile(path: "\(directory)/cloudwatch-prometheus.yaml", contents: scrape))
                installed.append(.init(path: CloudWatchAgentConfig.prometheusConfigPath, mode: "0644", contents: scrape))
            }
        }
        let userData = try UserDataScript.render(config, files: installed, cloudWatch: cloudWatch)
        files.append(RenderedFile(path: userDataPath, contents: userData, mode: 0o755))
        return files
    }
}
