import Foundation

/// Runs the harness's programs (scripts, qemu-img) as child processes and waits for them. Each has a
/// deadline; a child still running at its deadline is killed by its PID.
enum VMCommand {
    /// Runs a command; its standard output, or an error with its output when it fails.
    @discardableResult
    static func run(_ argv: [String], timeout: Int = 300) throws -> String {
        let (status, output, errors) = try launch(argv, timeout: timeout, capture: true)
        guard status == 0 else {
            throw VMSetupError(description: "\(argv.joined(separator: " ")) exited with \(status)\n\(output.suffix(2000))\n\(errors.suffix(3000))")
        }
        return output
    }

    /// Runs a command with its output going to this process's standard error; its exit status.
    static func status(_ argv: [String], timeout: Int = 3600) throws -> Int32 {
        try launch(argv, timeout: timeout, capture: false).status
    }

    private static func launch(_ argv: [String], timeout: Int, capture: Bool) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: argv[0].hasPrefix("/") ? argv[0] : "/usr/bin/env")
        process.arguments = argv[0].hasPrefix("/") ? Array(argv.dropFirst()) : argv
        let output = Pipe()
        let errors = Pipe()
        if capture {
            process.standardOutput = output
            process.standardError = errors
        } else {
            process.standardOutput = FileHandle.standardError
        }
        process.standardInput = FileHandle.nullDevice
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        // Read while it runs, so a full pipe never blocks the child.
        let collected = Collected()
        let readers = DispatchGroup()
        if capture {
            for (pipe, index) in [(output, 0), (errors, 1)] {
                DispatchQueue.global().async(group: readers) {
                    collected.set(index, pipe.fileHandleForReading.readDataToEndOfFile())
                }
            }
        }
        if finished.wait(timeout: .now() + .seconds(timeout)) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            finished.wait()
            readers.wait()
            throw VMSetupError(description: "\(argv.joined(separator: " ")) did not finish within \(timeout) s and was killed\n\(collected.text(1).suffix(3000))")
        }
        readers.wait()
        return (process.terminationStatus, collected.text(0), collected.text(1))
    }

    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data: [Data] = [Data(), Data()]
        func set(_ index: Int, _ value: Data) { lock.withLock { data[index] = value } }
        func text(_ index: Int) -> String { lock.withLock { String(decoding: data[index], as: UTF8.self) } }
    }
}
