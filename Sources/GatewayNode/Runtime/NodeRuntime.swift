import Foundation
import GatewayCore

/// The node runtime as the fronts use it: load `node.json`, read the devices (live or from a saved
/// `lsblk` output), plan, apply.
public struct NodeRuntime: Sendable {
    /// Runs commands.
    public var runner: any CommandRunning
    /// The tree to configure.
    public var root: HostRoot
    /// Resolves secrets at apply.
    public var resolver: SecretResolver
    /// Variables added to every command's environment.
    public var commandEnvironment: [String: String]
    /// Limits of the waits.
    public var waits: WaitPolicy

    /// Creates a runtime.
    public init(
        runner: any CommandRunning = ProcessCommandRunner(), root: HostRoot = .system, resolver: SecretResolver = SecretResolver(), commandEnvironment: [String: String] = [:],
        waits: WaitPolicy = WaitPolicy()
    ) {
        self.runner = runner
        self.root = root
        self.resolver = resolver
        self.commandEnvironment = commandEnvironment
        self.waits = waits
    }

    /// Plans a node.
    /// - Parameters:
    ///   - configPath: The node config.
    ///   - devicesPath: A saved `lsblk --json --bytes` output; `nil` reads this machine's devices.
    ///   - phases: The parts to plan.
    /// - Throws: ``NodeInputError`` for bad input, ``StepError`` when the devices cannot be read.
    public func plan(configPath: String, devicesPath: String?, phases: Set<NodePhase> = Set(NodePhase.allCases)) async throws -> (config: NodeConfig, plan: NodePlan) {
        let config = try NodeConfigFile.load(configPath)
        let layout: BlockDeviceLayout
        if let devicesPath {
            layout = try Self.savedLayout(devicesPath)
        } else {
            let context = StepContext(root: root, runner: runner, commandEnvironment: commandEnvironment, waits: waits)
            do {
                layout = try await BlockDeviceDiscovery.discover(storage: config.storage, in: context)
            } catch let error as LayoutError {
                throw NodeInputError(problems: [ConfigProblem(path: "", message: "lsblk output: \(error.problem)", hint: "check util-linux's lsblk")])
            }
        }
        let plan = try NodePlanner(config: config, layout: layout, root: root, phases: phases).plan()
        return (config, plan)
    }

    /// Applies a plan (see ``NodeApplier``).
    public func apply(_ plan: NodePlan, onEvent: @Sendable (NodeApplier.Event) -> Void = { _ in }) async throws -> ApplyReport {
        let applier = NodeApplier(runner: runner, root: root, resolver: resolver, commandEnvironment: commandEnvironment, waits: waits)
        return try await applier.apply(plan, onEvent: onEvent)
    }

    /// Reads a saved `lsblk --json --bytes` output.
    public static func savedLayout(_ path: String) throws(NodeInputError) -> BlockDeviceLayout {
        let text: String
        do {
            text = try AtomicFile.readText(path, limit: 8 << 20)
        } catch {
            throw NodeInputError(problems: [
                ConfigProblem(path: "--devices", message: "cannot read \(path): \(error.reason)", hint: "save the layout with `\(CommandDisplay.line(BlockDeviceLayout.lsblkCommand)) > FILE`")
            ])
        }
        do {
            return try BlockDeviceLayout(lsblkJSON: Data(text.utf8))
        } catch {
            throw NodeInputError(problems: [
                ConfigProblem(path: "--devices", message: "\(path): \(error.description)", hint: "save the layout with `\(CommandDisplay.line(BlockDeviceLayout.lsblkCommand)) > FILE`")
            ])
        }
    }
}
