import ArgumentParser
import GatewayCore
import GatewayProvision

/// `gw-cli secrets check FILE`: verifies the node secrets exist as SecureStrings, without reading them.
struct SecretsCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check that every node secret exists in SSM as a SecureString (nothing is decrypted).",
        discussion: "Exit status: 0 all present, 1 some missing or not SecureString."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let config = try DeploymentOperationsSupport.load(file)
        let entries = try await DeploymentOperationsSupport.run {
            let clients = try DeploymentOperationsSupport.clients(for: config)
            return try await SecretsPublisher(ssm: clients.ssm, environment: DeploymentOperationsSupport.environment).check(config)
        }
        if json {
            Terminal.out(DeploymentOperationsSupport.json(entries))
        } else {
            for entry in entries {
                Terminal.out("\(entry.state)  \(entry.parameter)  (\(entry.field))")
            }
        }
        if entries.contains(where: { $0.state != "present" }) {
            if !json { Terminal.error("push them with `gw-cli secrets push \(file)`") }
            throw ExitCode.failure
        }
    }
}
