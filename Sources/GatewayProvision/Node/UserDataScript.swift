import GatewayCore

/// The boot script (EC2 user data) of the gateway instances. It installs this deployment's node config
/// and the node setup unit (plus the CloudWatch agent's configuration), then starts the setup unit,
/// which runs `gw-cli node apply`: storage, secrets from SSM, LucidLink, the gateways and the proxy.
/// It holds no secret.
///
/// The data path comes first: the setup unit is enabled and started before the CloudWatch agent is
/// touched. The agent step is best effort: a missing agent or a configuration it refuses is reported
/// on standard error (the boot log, `/var/log/cloud-init-output.log`) as a `gateway boot:` line and
/// never fails the script. Operators see such instances through the `agents-not-reporting` alarm
/// (``TerraformMonitoring``).
enum UserDataScript {
    /// EC2 accepts at most 16 KiB of user data (before base64).
    static let maximumBytes = 16 * 1024
    /// Heredoc delimiter around installed files.
    static let delimiter = "GATEWAY_FILE_END"
    /// The comment that opens the CloudWatch agent step, the script's last.
    static let agentStepMarker = "# The CloudWatch agent, best effort:"

    struct InstalledFile {
        let path: String
        let mode: String
        let contents: String
    }

    static func render(_ config: GatewayConfig, files: [InstalledFile], cloudWatch: Bool) throws(BundleRenderError) -> String {
        let names = config.names
        let setup = NodeUnitNames.nodeSetup
        var script = """
            #!/bin/bash
            # Boot script of the gateway instances of \(names.deployment), rendered by gw-cli \(GatewayVersion.current).
            # It installs the node config and starts \(setup) (`gw-cli node apply`), which sets up the
            # cache storage, LucidLink, the gateways and the proxy. It holds no secret: the node runtime
            # reads them from SSM under \(names.parameterPath) with the instance role.
            set -euo pipefail
            umask 022

            # write_file MODE PATH: replaces PATH with standard input, atomically.
            write_file() {
                local temporary
                temporary=$(mktemp "$2.XXXXXX")
                cat >"$temporary"
                chmod "$1" "$temporary"
                mv -f "$temporary" "$2"
            }


            """
        var directories: [String] = []
        for file in files {
            let directory = "/" + file.path.split(separator: "/").dropLast().joined(separator: "/")
            if !directories.contains(directory) { directories.append(directory) }
        }
        script += "install -d -m 0755 " + directories.map(ShellQuoting.quote).joined(separator: " ") + "\n"
        for file in files {
            if file.contents.split(separator: "\n", omittingEmptySubsequences: false).contains(where: { $0 == delimiter }) {
                throw BundleRenderError(path: "", message: "\(file.path) contains the line \(delimiter)", hint: "this text cannot be embedded in the boot script")
            }
            script += "write_file \(file.mode) \(ShellQuoting.quote(file.path)) <<'\(delimiter)'\n"
            script += file.contents
            if !file.contents.hasSuffix("\n") { script += "\n" }
            script += "\(delimiter)\n"
        }
        script += "\nsystemctl daemon-reload\n"
        script += "systemctl enable \(setup)\n"
        script += "systemctl start --no-block \(setup)\n"
        if cloudWatch { script += agentStep }
        let size = script.utf8.count
        guard size <= maximumBytes else {
            throw BundleRenderError(
                path: "filespaces", message: "the boot script is \(size) bytes, more than the \(maximumBytes) EC2 accepts as user data",
                hint: "mount fewer filespaces per deployment or shorten gateway.environment")
        }
        return script
    }

    /// Loads the agent's configuration and (re)starts it. It runs after the data path is started, and
    /// nothing in it can end the script under `set -e`: the failing command is the left side of `||`.
    static var agentStep: String {
        let control = CloudWatchAgentConfig.control
        return """

            \(agentStepMarker) the node already serves; a failure here only loses its logs and metrics.
            if [ -x \(control) ]; then
                agent_status=0
                \(control) -a fetch-config -m ec2 -s -c file:\(CloudWatchAgentConfig.configPath) || agent_status=$?
                if [ "$agent_status" -ne 0 ]; then
                    echo "gateway boot: the CloudWatch agent did not load its configuration or start (amazon-cloudwatch-agent-ctl exit status $agent_status); the node serves without it, logs stay on the instance" >&2
                fi
            else
                echo "gateway boot: the CloudWatch agent is not installed; the node serves without it, logs stay on the instance" >&2
            fi

            """
    }
}
