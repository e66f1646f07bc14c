import Foundation

/// Runs commands on this machine: the program is started directly from its argument vector (no shell)
/// with standard input closed; its output is captured and secret values are removed from it.
public struct SystemCommandRunner: CommandRunning {
    /// Creates a runner.
    public init() {}

    public func run(_ argv: [String], environment: [String: String], redacting: [String], timeout: Duration?) async throws -> CommandOutput {
        guard let program = argv.first else { throw CommandLaunchError(argv: argv, reason: "empty command") }
        guard let executable = Self.locate(program, path: ProcessInfo.processInfo.environment["PATH"]) else {
            throw CommandLaunchError(argv: argv, reason: "not found on PATH")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = Array(argv.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, added in added }
        process.standardInput = FileHandle.nullDevice
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let finished = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in finished.continuation.finish() }
        do {
            try process.run()
        } catch {
            throw CommandLaunchError(argv: argv, reason: "\(error.localizedDescription)")
        }
        async let outData = Self.readAll(out.fileHandleForReading)
        async let errData = Self.readAll(err.fileHandleForReading)
        let timedOut = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in finished.stream {}
                return false
            }
            if let timeout {
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return !Task.isCancelled
                }
            }
            let first = await group.next() ?? false
            if first, process.isRunning {
                // Foundation starts children with the spawning thread's signal mask, in which SIGTERM may
                // be blocked; SIGKILL cannot be.
                kill(process.processIdentifier, SIGKILL)
            }
            group.cancelAll()
            return first
        }
        let standardOutput = Self.redact(String(decoding: await outData, as: UTF8.self), redacting)
        let standardError = Self.redact(String(decoding: await errData, as: UTF8.self), redacting)
        process.waitUntilExit()
        if timedOut {
            return CommandOutput(exitCode: nil, termination: "timed out", standardOutput: standardOutput, standardError: standardError)
        }
        switch process.terminationReason {
        case .exit:
            return CommandOutput(exitCode: process.terminationStatus, termination: "exit \(process.terminationStatus)", standardOutput: standardOutput, standardError: standardError)
        case .uncaughtSignal:
            return CommandOutput(exitCode: nil, termination: "killed by signal \(process.terminationStatus)", standardOutput: standardOutput, standardError: standardError)
        @unknown default:
            return CommandOutput(exitCode: nil, termination: "ended abnormally", standardOutput: standardOutput, standardError: standardError)
        }
    }

    /// The executable for a program name: itself when it holds a `/`, else the first match on `PATH`.
    static func locate(_ program: String, path: String?) -> String? {
        if program.contains("/") {
            return FileManager.default.isExecutableFile(atPath: program) ? program : nil
        }
        let directories = (path ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":")
        for directory in directories {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func readAll(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: handle.readDataToEndOfFile())
            }
        }
    }

    private static func redact(_ text: String, _ values: [String]) -> String {
        values.filter { !$0.isEmpty }.sorted { $0.count > $1.count }.reduce(text) { $0.replacingOccurrences(of: $1, with: "[REDACTED]") }
    }
}
