import GatewayCore

/// The boot script (EC2 user data) of the gateway instances. It installs this deployment's node config,
/// units and CloudWatch agent config, then starts `gateway.target`. It holds no secret: the setup unit
/// reads them from SSM with the instance role.
enum UserDataScript {
    /// EC2 accepts at most 16 KiB of user data (before base64).
    static let maximumBytes = 16 * 1024
    /// Heredoc delimiter around installed files.
    static let delimiter = "GATEWAY_FILE_END"

    struct InstalledFile {
        let path: String
        let mode: String
        let contents: String
    }

    static func render(_ config: GatewayConfig, files: [InstalledFile], cloudWatch: Bool) throws(BundleRenderError) -> String {
        let names = config.names
        var script = """
            #!/bin/bash
            # Boot script of the gateway instances of \(names.deployment), rendered by gw-cli \(GatewayVersion.current).
            # It installs the node config and systemd units of this deployment and starts the gateway.
            # It holds no secret: \(NodeLayout.setupUnit) reads them from SSM under \(names.parameterPath).
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

            install -d -m 0755 \(NodeLayout.configDirectory) \(NodeLayout.unitDirectory)

            """
        for file in files {
            if file.contents.split(separator: "\n", omittingEmptySubsequences: false).contains(where: { $0 == delimiter }) {
                throw BundleRenderError(path: "", message: "\(file.path) contains the line \(delimiter)", hint: "this text cannot be embedded in the boot script")
            }
            let directory = file.path.split(separator: "/").dropLast().joined(separator: "/")
            if !directory.isEmpty, "/" + directory != NodeLayout.configDirectory, "/" + directory != NodeLayout.unitDirectory {
                script += "install -d -m 0755 \(ShellQuoting.quote("/" + directory))\n"
            }
            script += "write_file \(file.mode) \(ShellQuoting.quote(file.path)) <<'\(delimiter)'\n"
            script += file.contents
            if !file.contents.hasSuffix("\n") { script += "\n" }
            script += "\(delimiter)\n\n"
        }
        script += "systemctl daemon-reload\n"
        script += "systemctl enable \(NodeLayout.target)\n"
        if cloudWatch {
            let control = "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl"
            script += """

                if [ -x \(control) ]; then
                    \(control) -a fetch-config -m ec2 -s -c file:\(NodeLayout.cloudWatchAgentConfigPath)
                else
                    echo "gateway boot: the CloudWatch agent is not installed; logs stay on the instance" >&2
                fi

                """
        }
        script += "systemctl start --no-block \(NodeLayout.target)\n"
        let size = script.utf8.count
        guard size <= maximumBytes else {
            throw BundleRenderError(path: "filespaces", message: "the boot script is \(size) bytes, more than the \(maximumBytes) EC2 accepts as user data", hint: "mount fewer filespaces per deployment or shorten gateway.environment")
        }
        return script
    }
}
