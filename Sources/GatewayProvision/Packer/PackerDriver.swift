import GatewayCore

/// Runs packer on one template directory (the rendered `packer/` directory), non-interactively.
public struct PackerDriver: Sendable {
    /// The packer executable.
    public var tool: PackerTool
    /// The template directory; packer builds every template in it and loads its `*.auto.pkrvars.hcl`.
    public var templateDirectory: String
    /// packer's environment (see ``PackerDriver/environment(from:additions:)``).
    public var environment: ProcessEnvironment
    /// Secret values removed from every line packer prints.
    public var redactedValues: [String]
    /// How packer is stopped on cancellation (SIGINT makes packer clean up its build instance).
    public var stopPolicy: ProcessStopPolicy
    private let runner: ProcessRunner

    /// Creates a driver.
    ///
    /// - Parameters:
    ///   - tool: The packer executable.
    ///   - templateDirectory: The directory of the template.
    ///   - environment: packer's complete environment.
    ///   - redactedValues: Secret values to remove from packer's output.
    ///   - stopPolicy: How packer is stopped. Default: SIGINT, 5 minutes (packer deletes the build
    ///     instance, key pair and security group), SIGTERM, 30 s, SIGKILL.
    ///   - runner: The process runner.
    public init(
        tool: PackerTool,
        templateDirectory: String,
        environment: ProcessEnvironment,
        redactedValues: [String] = [],
        stopPolicy: ProcessStopPolicy = ProcessStopPolicy(interruptGracePeriod: .seconds(300), terminateGracePeriod: .seconds(30)),
        runner: ProcessRunner = ProcessRunner()
    ) {
        self.tool = tool
        self.templateDirectory = templateDirectory
        self.environment = environment
        self.redactedValues = redactedValues
        self.stopPolicy = stopPolicy
        self.runner = runner
    }

    /// Variables packer receives from the parent environment besides the base allowlist: AWS
    /// credentials and settings, packer's own settings, proxies and CA bundles. `PKR_VAR_*` is not
    /// passed: variables come from the rendered var file.
    public static let inheritedNames: Set<String> = [
        "PACKER_PLUGIN_PATH", "PACKER_CACHE_DIR", "PACKER_CONFIG_DIR", "PACKER_LOG", "PACKER_LOG_PATH",
        "CHECKPOINT_DISABLE", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
        "SSL_CERT_FILE", "SSL_CERT_DIR",
    ]

    /// packer's environment: the allowlisted part of `parent` plus `additions`.
    public static func environment(from parent: [String: String], additions: [String: String] = [:]) -> ProcessEnvironment {
        var environment = ProcessEnvironment.inherited(from: parent, allowing: inheritedNames, prefixes: ["AWS_"])
        environment["PACKER_NO_COLOR"] = "1"
        return environment.adding(additions)
    }

    /// `packer init .`: installs the plugins the template requires.
    public func initialize() -> ProcessEventStream {
        runner.events(for: command(["init", "."]))
    }

    /// `packer build -color=false .`, optionally with an extra variable file and variables.
    ///
    /// - Parameters:
    ///   - variableFile: A variable file loaded after the template directory's own.
    ///   - variables: Variables given as `-var NAME=VALUE` (in name order); they win over the files.
    public func build(variableFile: String? = nil, variables: [String: String] = [:]) -> ProcessEventStream {
        var arguments = ["build", "-color=false"]
        if let variableFile { arguments.append("-var-file=\(variableFile)") }
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { arguments += ["-var", "\(name)=\(value)"] }
        arguments.append(".")
        return runner.events(for: command(arguments))
    }

    private func command(_ arguments: [String]) -> ProcessCommand {
        ProcessCommand(
            executable: tool.path,
            arguments: arguments,
            environment: environment,
            workingDirectory: templateDirectory,
            redactedValues: redactedValues,
            stopPolicy: stopPolicy
        )
    }
}
