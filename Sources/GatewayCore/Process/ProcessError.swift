/// Why a child process could not be run. (How a child that did run ended is a ``ProcessExit``,
/// never an error.)
public struct ProcessError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Storage: Sendable, Hashable {
            case executableNotFound
            case notExecutable
            case spawnFailed
            case workingDirectoryUnavailable
            case outputFailed
            case alreadyConsumed
        }

        let storage: Storage

        /// The program was not found (neither at the given path nor on `PATH`).
        public static let executableNotFound = Code(storage: .executableNotFound)
        /// The program exists but cannot be executed.
        public static let notExecutable = Code(storage: .notExecutable)
        /// The operating system refused to start the program.
        public static let spawnFailed = Code(storage: .spawnFailed)
        /// The working directory does not exist or cannot be entered.
        public static let workingDirectoryUnavailable = Code(storage: .workingDirectoryUnavailable)
        /// Reading the child's output failed.
        public static let outputFailed = Code(storage: .outputFailed)
        /// An event stream was iterated a second time; a child's events can be consumed only once.
        public static let alreadyConsumed = Code(storage: .alreadyConsumed)

        public var description: String {
            switch storage {
            case .executableNotFound: "executable not found"
            case .notExecutable: "not executable"
            case .spawnFailed: "spawn failed"
            case .workingDirectoryUnavailable: "working directory unavailable"
            case .outputFailed: "output failed"
            case .alreadyConsumed: "already consumed"
            }
        }
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence saying what failed and how to fix it.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
