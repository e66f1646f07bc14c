import ArgumentParser
import Foundation
import GatewayCore
import GatewayNode

/// `gw-cli node`: the node runtime on a gateway instance.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Set up a gateway instance: cache storage, LucidLink, gateways, proxy.",
        subcommands: [NodePlanCommand.self, NodeApplyCommand.self, NodeExecCommand.self]
    )
}

/// Options shared by `node plan` and `node apply`.
struct NodeOptions: ParsableArguments {
    @Argument(help: "The node config (node.json, written by `gw-cli render`).")
    var config: String

    @Option(help: ArgumentHelp("A saved device layout instead of this machine's.", discussion: "Save it with: \(CommandDisplay.line(BlockDeviceLayout.lsblkCommand)) > FILE", valueName: "LSBLK.json"))
    var devices: String?

    @Option(help: ArgumentHelp("Configure the tree at DIR instead of / (tests, image builds): files go under DIR, units are enabled there but not started.", valueName: "DIR"))
    var root: String = "/"

    @Option(help: ArgumentHelp("Only these parts, comma-separated: \(NodePhase.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "PHASES"))
    var only: String?

    func phases() throws -> Set<NodePhase> {
        guard let only else { return Set(NodePhase.allCases) }
        var phases: Set<NodePhase> = []
        for name in only.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let phase = NodePhase(rawValue: name) else {
                throw ValidationError("--only: \"\(name)\" is not a phase; use \(NodePhase.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            phases.insert(phase)
        }
        return phases
    }

    func validate() throws {
        _ = try phases()
        guard root.hasPrefix("/") else { throw ValidationError("--root must be an absolute path, not \(root)") }
    }

    var hostRoot: HostRoot { HostRoot(directory: root) }

    func runtime() -> NodeRuntime {
        // A test or image build may point systemd-creds at its own host key.
        let environment = ProcessInfo.processInfo.environment.filter { $0.key == "SYSTEMD_CREDENTIAL_SECRET" }
        return NodeRuntime(root: hostRoot, commandEnvironment: environment)
    }
}

/// `gw-cli node plan`: prints the ordered steps with their exact commands and file contents.
struct NodePlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print the steps that set up this node, with exact commands and file contents. Changes nothing."
    )

    @OptionGroup var options: NodeOptions

    @Flag(help: "Print the plan as JSON.")
    var json = false

    func run() async throws {
        let runtime = options.runtime()
        do {
            let (config, plan) = try await runtime.plan(configPath: options.config, devicesPath: options.devices, phases: try options.phases())
            let document = PlanDocument(plan: plan, deployment: config.deployment, root: runtime.root)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                Terminal.out(String(decoding: try encoder.encode(document), as: UTF8.self))
            } else {
                Terminal.out(NodePlanText.render(document))
            }
        } catch {
            NodePlanText.report(error)
            throw ExitCode.failure
        }
    }
}

/// `gw-cli node apply`: applies the plan, printing what it did and what it skipped.
struct NodeApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Set up this node: apply each step that is not already done. A second apply changes nothing.",
        discussion: "A failed step stops the apply with its command, exit status and standard error; what was done stays done."
    )

    @OptionGroup var options: NodeOptions

    func run() async throws {
        var runtime = options.runtime()
        do {
            let (config, plan) = try await runtime.plan(configPath: options.config, devicesPath: options.devices, phases: try options.phases())
            runtime.resolver = NodeSecrets.resolver(region: config.region)
            Terminal.out("Applying \(plan.steps.count) steps for \(config.deployment) (root \(runtime.root.directory))")
            for note in plan.notes { Terminal.out("  note: \(note)") }
            let report = try await runtime.apply(plan) { event in
                switch event {
                case .skipped(let step): Terminal.out("skip   \(step.id): \(step.title) (already done)")
                case .applying(let step): Terminal.out("apply  \(step.id): \(step.title)")
                case .applied(let step): Terminal.out("done   \(step.id)")
                }
            }
            Terminal.out("\(report.applied.count) applied, \(report.skipped.count) already done")
        } catch let error as NodeApplyError {
            Terminal.error("error: \(error)")
            Terminal.error("\(error.report.applied.count) steps applied and \(error.report.skipped.count) already done before the failure; they stay in place")
            throw ExitCode.failure
        } catch {
            NodePlanText.report(error)
            throw ExitCode.failure
        }
    }
}

/// `gw-cli node exec`: the credential launcher used by the units.
struct NodeExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run a program with systemd credentials on its standard input or in its environment (used by the node's units)."
    )

    @Option(name: .customLong("stdin-credential"), help: ArgumentHelp("Credential to connect to the program's standard input.", valueName: "NAME"))
    var stdinCredential: String?

    @Option(name: .customLong("env-credential"), help: ArgumentHelp("Put a credential into an environment variable.", valueName: "VARIABLE=NAME"))
    var environmentCredentials: [String] = []

    @Argument(parsing: .postTerminator, help: "The program (absolute path) and its arguments, after --.")
    var program: [String] = []

    func run() throws {
        do {
            let request = CredentialExec.Request(
                stdinCredential: stdinCredential,
                environment: try environmentCredentials.map { argument throws(CredentialExec.LaunchError) in try CredentialExec.EnvironmentCredential(argument: argument) },
                program: program
            )
            try CredentialExec.exec(request, credentialsDirectory: ProcessInfo.processInfo.environment["CREDENTIALS_DIRECTORY"])
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}
