import ArgumentParser
import GatewayCore
import GatewayProvision

/// `gw-cli secrets push FILE`: writes the node secrets to SSM SecureString parameters.
struct SecretsPushCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Write the LucidLink passwords and S3 root keys to SSM SecureString parameters (values never printed)."
    )

    @Argument(help: "The config file (YAML or JSON).")
    var file: String

    @Flag(help: "Print the result as JSON.")
    var json = false

    func run() async throws {
        let config = try DeploymentOperationsSupport.load(file)
        let entries = try await DeploymentOperationsSupport.run {
            let clients = try DeploymentOperationsSupport.clients(for: config)
            return try await SecretsPublisher(ssm: clients.ssm, environment: DeploymentOperationsSupport.environment).push(config)
        }
        if json {
            Terminal.out(DeploymentOperationsSupport.json(entries))
        } else {
            for entry in entries {
                Terminal.out("\(entry.state)  \(entry.parameter)  (\(entry.field)\(entry.version.map { ", version \($0)" } ?? ""))")
            }
        }
        if entries.contains(where: { $0.state == "missing" }) { throw ExitCode.failure }
    }
}
