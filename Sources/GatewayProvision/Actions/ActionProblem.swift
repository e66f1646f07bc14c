/// Why a deployment action cannot be run as asked: a stable code, the option concerned, what is
/// wrong and how to fix it.
///
/// Problems are front-neutral: the message and hint never name a command, a flag or a JSON member;
/// the option is given as an ``ActionOption`` for each front to name in its own terms. Both fronts
/// report the same codes for the same input.
public struct ActionProblem: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kind of problem; its raw value is stable and shown to users.
    public enum Code: String, Sendable, Hashable, Codable, CaseIterable {
        /// A required option is missing.
        case missingOption = "missing-option"
        /// The option does not belong to this action.
        case optionNotAllowed = "option-not-allowed"
        /// Two options exclude each other.
        case conflictingOptions = "conflicting-options"
        /// The AMI ID is not shaped like one.
        case invalidAMIID = "invalid-ami-id"
        /// The run ID is not shaped like one.
        case invalidRunID = "invalid-run-id"
        /// A number is outside its bounds.
        case outOfRange = "out-of-range"
        /// Rollout checkpoints break the checkpoint rule.
        case invalidCheckpoints = "invalid-checkpoints"
        /// The confirmation does not name the deployment.
        case confirmationMismatch = "confirmation-mismatch"
        /// A path is not absolute.
        case relativePath = "relative-path"
    }

    /// The kind of problem.
    public var code: Code
    /// The option concerned.
    public var option: ActionOption
    /// What is wrong, without the option's name.
    public var message: String
    /// How to fix it, without naming a front.
    public var hint: String

    /// Creates a problem.
    public init(_ code: Code, _ option: ActionOption, _ message: String, hint: String) {
        self.code = code
        self.option = option
        self.message = message
        self.hint = hint
    }

    /// `option: message (hint) [code]`, with the option's neutral name.
    public var description: String { "\(option.rawValue): \(message) (\(hint)) [\(code.rawValue)]" }
}

/// Every problem of an action request, when there is at least one.
public struct ActionProblems: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems, in the order of the options.
    public var problems: [ActionProblem]

    /// Creates the error.
    public init(_ problems: [ActionProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
