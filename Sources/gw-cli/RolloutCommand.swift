import ArgumentParser

/// `gw-cli rollout FILE --ami ID` and its `status`, `cancel` and `rollback` subcommands.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Roll a new AMI out by instance refresh, with checkpoints and automatic rollback.",
        discussion: "Exit status: 0 rolled out (or nothing to do), 1 failed, rolled back or cancelled, 2 usage error.",
        subcommands: [RolloutStartCommand.self, RolloutStatusCommand.self, RolloutCancelCommand.self, RolloutRollbackCommand.self],
        defaultSubcommand: RolloutStartCommand.self
    )
}
