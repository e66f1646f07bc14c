import Foundation

/// The built `gw-rest` binary, run as a real child process with its log in a file.
final class RESTProcess: Sendable {
    let process: Process
    let logFile: URL
    let port: Int

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// `gw-rest` next to the test bundle in the build directory.
    static var binary: URL {
        let buildDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidate = buildDirectory.appendingPathComponent("gw-rest")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return RESTTestSupport.packageRoot.appendingPathComponent(".build/debug/gw-rest")
    }

    private init(process: Process, logFile: URL, port: Int) {
        self.process = process
        self.logFile = logFile
        self.port = port
    }

    /// Starts `gw-rest --listen 127.0.0.1:0 ARGUMENTS` and waits until it listens.
    static func start(_ arguments: [String], environment: [String: String], logFile: URL) async throws -> RESTProcess {
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = ["--listen", "127.0.0.1:0", "--log-format", "json"] + arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: logFile)
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        let end = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < end {
            let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") where line.contains("\"listening\"") {
                if let data = line.data(using: .utf8), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                    let address = object["address"] as? String, let port = Int(address.split(separator: ":").last ?? "")
                {
                    return RESTProcess(process: process, logFile: logFile, port: port)
                }
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        throw Curl.Failure(description: "gw-rest did not start: \((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")")
    }

    /// Sends a signal to this process only.
    func signal(_ number: Int32) {
        if process.isRunning { kill(process.processIdentifier, number) }
    }

    /// Waits for the process to exit; its exit status, or `nil` on timeout.
    func waitForExit(timeout: Duration) async -> Int32? {
        let end = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < end {
            try? await Task.sleep(for: .milliseconds(100))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Stops the process (SIGKILL if needed); safe to call on an ended process.
    func stop() async {
        signal(SIGTERM)
        if await waitForExit(timeout: .seconds(20)) == nil {
            signal(SIGKILL)
            _ = await waitForExit(timeout: .seconds(5))
        }
    }
}
