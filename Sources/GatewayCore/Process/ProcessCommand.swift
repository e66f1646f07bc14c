/// A description of one child process to run: what to execute, with which arguments, in which
/// environment and directory, and how to treat its output and its end.
///
/// The executable is started directly from an argument vector; no shell is involved, so no
/// argument is ever interpreted as shell syntax.
public struct ProcessCommand: Sendable {
    /// The program to run: an absolute or relative path, or a bare name looked up on the `PATH`
    /// of ``environment``.
    public var executable: String
    /// The arguments, without the program name.
    public var arguments: [String]
    /// The complete environment of the child; nothing else of this process's environment leaks in.
    public var environment: ProcessEnvironment
    /// The directory the child starts in; `nil` keeps this process's current directory.
    public var workingDirectory: String?
    /// Values that must never appear in any output line (passwords, keys, tokens). Every line is
    /// redacted before anything else sees it.
    public var redactedValues: [String]
    /// The longest run time; when it passes, the child is stopped as with ``ProcessStopPolicy``
    /// and the exit is reported with ``ProcessStopReason/timedOut``. `nil` means no limit.
    public var timeout: Duration?
    /// The signals and grace periods used to stop the child's process group.
    public var stopPolicy: ProcessStopPolicy
    /// Lines longer than this many bytes are delivered in pieces of at most this length.
    public var maximumLineLength: Int

    /// Creates a command.
    ///
    /// - Parameters:
    ///   - executable: A path, or a bare name looked up on the `PATH` of `environment`.
    ///   - arguments: The arguments, without the program name.
    ///   - environment: The child's complete environment. Default: ``ProcessEnvironment/inherited(from:allowing:prefixes:)``
    ///     with the default allowlist.
    ///   - workingDirectory: The child's starting directory. Default: this process's.
    ///   - redactedValues: Secret values to remove from every output line. Default: none.
    ///   - timeout: The longest run time. Default: no limit.
    ///   - stopPolicy: How the child is stopped on cancellation or timeout. Default: ``ProcessStopPolicy/standard``.
    ///   - maximumLineLength: The longest line delivered in one piece, in bytes. Default: 1 MiB.
    public init(
        executable: String,
        arguments: [String] = [],
        environment: ProcessEnvironment = .inherited(),
        workingDirectory: String? = nil,
        redactedValues: [String] = [],
        timeout: Duration? = nil,
        stopPolicy: ProcessStopPolicy = .standard,
        maximumLineLength: Int = 1 << 20
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.redactedValues = redactedValues
        self.timeout = timeout
        self.stopPolicy = stopPolicy
        self.maximumLineLength = max(1, maximumLineLength)
    }
}

extension ProcessCommand: CustomStringConvertible {
    /// The program and its arguments with every redacted value masked, for logs and error messages.
    public var description: String {
        let redactor = SecretRedactor(values: redactedValues)
        return ([executable] + arguments).map { redactor.redact($0) }.joined(separator: " ")
    }
}
