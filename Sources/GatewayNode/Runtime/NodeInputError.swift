import GatewayCore

/// The node config, the device layout or the machine does not allow a plan: every problem found,
/// each naming the field or argument and how to fix it. Raised before anything is changed.
public struct NodeInputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems.
    public var problems: [ConfigProblem]

    /// Creates an error from problems.
    public init(problems: [ConfigProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
