import ArgumentParser
import Foundation
import GatewayCore

/// `gw-cli`: deploys and runs an S3 gateway for LucidLink filespaces on AWS.
struct GatewayCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gw-cli",
        abstract: "Deploy and run an S3 gateway for LucidLink filespaces on AWS.",
        discussion: "Exit status: 0 success, 1 failure or invalid input, 2 usage error.",
        version: GatewayVersion.current,
        subcommands: [
            InitCommand.self,
            ValidateCommand.self,
            SchemaCommand.self,
            ImportLegacyCommand.self,
            RenderCommand.self,
            CheckCommand.self,
            PlanCommand.self,
            ApplyCommand.self,
            DestroyCommand.self,
            OutputsCommand.self,
            RunsCommand.self,
            LogsCommand.self,
            CancelCommand.self,
            AMICommand.self,
            StatusCommand.self,
            RolloutCommand.self,
            SecretsCommand.self,
            NodeCommand.self,
            ProxyCommand.self,
        ]
    )
}

@main
enum GatewayCLIMain {
    static func main() async {
        do {
            var command = try GatewayCLI.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // ArgumentParser reports usage errors as 64 (EX_USAGE); this tool promises 2.
            if GatewayCLI.exitCode(for: error) == .validationFailure {
                Terminal.error(GatewayCLI.fullMessage(for: error))
                exit(2)
            }
            GatewayCLI.exit(withError: error)
        }
    }
}
