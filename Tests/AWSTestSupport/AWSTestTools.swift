import Foundation
import Testing

/// Locates the package and the project's test venv, and runs helper processes (argv only, never a shell).
enum AWSTestTools {
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    static func fixture(_ name: String) -> String {
        packageRoot.appendingPathComponent("Tests/AWSFixtures/\(name)").path
    }

    /// Runs blocking work on a thread of its own, off Swift's cooperative pool (2 threads on this
    /// machine), so that tests waiting for processes do not stall other tests' timers.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// The venv's python with the PyPI tools the tests need, or a failure that says how to get it.
    static func python(requiring module: String) async throws -> String {
        try await offPool { try pythonBlocking(requiring: module) }
    }

    static func pythonBlocking(requiring module: String) throws -> String {
        let venv = ProcessInfo.processInfo.environment["GW_TEST_VENV"] ?? packageRoot.appendingPathComponent(".venv").path
        let python = venv + "/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw ToolMissing(message: "no test venv at \(venv): run scripts/install-test-deps.sh")
        }
        let check = try run(python, ["-c", "import \(module)"])
        guard check.status == 0 else {
            throw ToolMissing(message: "python module \(module) missing in \(venv): run scripts/install-test-deps.sh")
        }
        return python
    }

    struct ToolMissing: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    /// A test fixture answered something other than what the test asked for.
    struct FixtureFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    struct Output: Sendable {
        let status: Int32
        let stdout: Data
        let stderr: String
    }

    static func run(
        _ executable: String, _ arguments: [String], stdin: Data = Data(),
        environment: [String: String]? = nil
    ) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let writer = Thread {
            input.fileHandleForWriting.write(stdin)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let errorData = LockedData()
        let errorReader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        errorReader.start()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Output(
            status: process.terminationStatus, stdout: out,
            stderr: String(decoding: errorData.value, as: UTF8.self))
    }

    final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data: Data?
        func set(_ value: Data) { lock.withLock { data = value } }
        var isSet: Bool { lock.withLock { data != nil } }
        var value: Data { lock.withLock { data ?? Data() } }
    }
}
