import ArgumentParser
import GatewayProvision

/// `gw-cli ami build FILE`: builds the node image with packer.
struct AMICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ami",
        abstract: "Build the node image (AMI).",
        subcommands: [Build.self]
    )

    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build the node image with packer and record its AMI for later plans.",
            discussion:
                "The image gets --node-binary, or this gw-cli, after checking it is a self-contained ELF executable of the image's architecture. packer is found by GW_PACKER or on PATH. Ctrl-C stops packer gracefully (it deletes its build instance)."
        )

        @Argument(help: "The config file (YAML or JSON).")
        var file: String

        @Option(
            name: .customLong("node-binary"),
            help: ArgumentHelp(
                "The self-contained gw-cli to install in the image (default: this gw-cli).",
                discussion: "Build one with scripts/build-node-binary.sh; a toolchain-linked build is refused.",
                valueName: "path"))
        var nodeBinary: String?

        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var options: RunOptions

        func run() async throws {
            let context = try DeploymentContext(file: file, workspace: workspace, bundleDirectory: options.bundleDirectory)
            let action = try ActionRequestSupport.validated(
                DeploymentActionRequest(.imageBuild, nodeBinary: ActionRequestSupport.absolutePath(nodeBinary)),
                deployment: context.operations.workspace.name)
            let record = try await RunExecution.execute(context: context, options: options) { operations, handler in
                try await operations.run(action, onEvent: handler)
            }
            try RunExecution.exit(for: record)
        }
    }
}
