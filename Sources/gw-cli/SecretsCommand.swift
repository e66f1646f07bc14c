import ArgumentParser

/// `gw-cli secrets push|check FILE`.
struct SecretsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secrets",
        abstract: "Keep the deployment's node secrets in SSM Parameter Store (SecureString).",
        subcommands: [SecretsPushCommand.self, SecretsCheckCommand.self]
    )
}
