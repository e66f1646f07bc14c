import Foundation
import GatewayCore

/// Runs the node runtime's commands through the project's ``ProcessRunner``: argument vectors only (no
/// shell), each child in its own process group with standard input closed, output captured with secret
/// values redacted, stopped at its timeout.
public struct ProcessCommandRunner: CommandRunning {
    private let runner: ProcessRunner

    /// Creates a runner.
    public init(runner: ProcessRunner = ProcessRunner()) {
        self.runner = runner
    }

    public func run(_ argv: [String], environment: [String: String], redacting: [String], timeout: Duration?) async throws -> CommandOutput {
        guard let program = argv.first else { throw CommandLaunchError(argv: argv, reason: "empty command") }
        let command = ProcessCommand(
            executable: program,
            arguments: Array(argv.dropFirst()),
            environment: .inherited().adding(environment),
            redactedValues: redacting,
            timeout: timeout
        )
        let result: ProcessResult
        do {
            result = try await runner.run(command)
        } catch let error as ProcessError {
            throw CommandLaunchError(argv: argv, reason: error.message)
        }
        let termination = result.exit.stopReason == .timedOut ? "timed out" : result.exit.status.description
        return CommandOutput(
            exitCode: result.exit.stopReason == nil ? result.exit.exitCode : nil,
            termination: termination,
            standardOutput: result.outputText,
            standardError: result.errorText
        )
    }

    /// The executable a program name resolves to on `PATH`, or `nil` when it is not installed.
    public static func locate(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        return ExecutableLocator.search(program, path: ProcessEnvironment.inherited()["PATH"])
    }
}
