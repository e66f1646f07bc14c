/// Why a step could not be done.
public enum StepError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A command ended unsuccessfully.
    case commandFailed(argv: [String], termination: String, standardError: String)
    /// A wait did not see its condition in time.
    case timedOut(condition: String, seconds: Int, lastOutput: String)
    /// The machine is not in a state the step can work with (e.g. a foreign filesystem appeared).
    case conflict(message: String, hint: String)
    /// A file or directory operation failed.
    case fileSystem(path: String, reason: String)

    public var description: String {
        switch self {
        case .commandFailed(let argv, let termination, let standardError):
            let error = standardError.trimmingCharacters(in: .whitespacesAndNewlines)
            return "`\(CommandDisplay.line(argv))` failed (\(termination))" + (error.isEmpty ? "" : ":\n\(error)")
        case .timedOut(let condition, let seconds, let lastOutput):
            let output = lastOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            return "timed out after \(seconds)s waiting until \(condition)" + (output.isEmpty ? "" : "; last check said:\n\(output)")
        case .conflict(let message, let hint):
            return "\(message) (\(hint))"
        case .fileSystem(let path, let reason):
            return "\(path): \(reason)"
        }
    }
}
