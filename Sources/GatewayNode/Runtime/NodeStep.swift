/// One idempotent step of a node's setup: what it does, stated exactly (``operations``), how to tell
/// that it is already done, and how to do it.
public struct NodeStep: Sendable {
    /// Stable identifier, e.g. `storage.mkfs` or `lucidlink.media.linked`.
    public let id: String
    /// The part of the setup it belongs to.
    public let phase: NodePhase
    /// What it achieves, in a few words.
    public let title: String
    /// Exactly what it does.
    public let operations: [StepOperation]
    /// Remarks shown with the step in a plan.
    public let notes: [String]
    private let check: @Sendable (StepContext) async throws -> Bool
    private let perform: @Sendable (StepContext) async throws -> Void

    /// Creates a step.
    /// - Parameters:
    ///   - check: Returns `true` when the step's effect is already in place. May throw
    ///     ``StepError/conflict(message:hint:)`` when the machine is in a state the step must not touch.
    ///   - perform: Brings the effect about.
    public init(
        id: String,
        phase: NodePhase,
        title: String,
        operations: [StepOperation],
        notes: [String] = [],
        check: @escaping @Sendable (StepContext) async throws -> Bool,
        perform: @escaping @Sendable (StepContext) async throws -> Void
    ) {
        self.id = id
        self.phase = phase
        self.title = title
        self.operations = operations
        self.notes = notes
        self.check = check
        self.perform = perform
    }

    /// Whether the step's effect is already in place.
    public func isDone(in context: StepContext) async throws -> Bool { try await check(context) }

    /// Brings the step's effect about.
    public func apply(in context: StepContext) async throws { try await perform(context) }

    /// A step that runs its commands in order, each of which must succeed.
    public static func commands(
        id: String,
        phase: NodePhase,
        title: String,
        _ commands: [[String]],
        notes: [String] = [],
        check: @escaping @Sendable (StepContext) async throws -> Bool
    ) -> NodeStep {
        NodeStep(id: id, phase: phase, title: title, operations: commands.map { .run($0) }, notes: notes, check: check) { context in
            for command in commands { try await context.require(command) }
        }
    }
}
