import Foundation
import GatewayCore
import GatewayProvision
import Testing

/// Paths, tools and fixtures shared by the rendering tests.
enum TestSupport {
    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { packageRoot.appendingPathComponent(relative).path }

    /// The project's test venv (`GW_TEST_VENV`, set by scripts/test.sh, else `<root>/.venv`).
    static var venv: String {
        ProcessInfo.processInfo.environment["GW_TEST_VENV"].flatMap { $0.isEmpty ? nil : $0 } ?? path(".venv")
    }

    static let installHint = "run scripts/install-test-deps.sh to install the test tools"

    /// The venv's Python, or a failed expectation naming the fix.
    static func python(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let python = venv + "/bin/python"
        guard FileManager.default.isExecutableFile(atPath: python) else {
            Issue.record("the test venv \(venv) is missing; \(installHint)", sourceLocation: sourceLocation)
            throw MissingTool(name: "python venv")
        }
        return python
    }

    /// An executable on PATH, or a failed expectation naming the fix.
    static func tool(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"]
        for directory in directories where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
            return directory + "/" + name
        }
        Issue.record("\(name) is not installed; \(installHint)", sourceLocation: sourceLocation)
        throw MissingTool(name: name)
    }

    struct MissingTool: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) is not installed; \(TestSupport.installHint)" }
    }

    /// The result of a finished process.
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
        var output: String { stdout + stderr }
    }

    /// Runs a program (argv, no shell) and waits for it, killing it after `timeout` seconds.
    static func run(_ executable: String, _ arguments: [String], in directory: String? = nil, environment: [String: String] = [:], timeout: TimeInterval = 300) throws -> Run {
        let scratch = try temporaryDirectory(prefix: "run")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/stdout"
        let errPath = scratch + "/stderr"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Run(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Runs one of the project's check scripts in `scripts/checks/` (Python ones with the venv's Python).
    static func check(_ script: String, _ arguments: [String], timeout: TimeInterval = 300) throws -> Run {
        let scriptPath = path("scripts/checks/\(script)")
        if script.hasSuffix(".py") {
            return try run(try python(), [scriptPath] + arguments, timeout: timeout)
        }
        return try run(try tool("bash"), [scriptPath] + arguments, environment: ["PATH": venv + "/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")], timeout: timeout)
    }

    /// A new empty directory, unique to this call.
    static func temporaryDirectory(prefix: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-render-\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    // MARK: - Configs

    /// The example config shipped in `Examples/gateway.yaml`.
    static func exampleConfig() throws -> GatewayConfig {
        try ConfigLoader.load(file: path("Examples/gateway.yaml")).config
    }

    /// The maximal fixture: NLB, per-zone NAT, three filespaces, S3 backend, SSH, spot.
    static func maximalConfig() throws -> GatewayConfig {
        try ConfigLoader.load(file: path("Tests/GatewayProvisionTests/Fixtures/maximal.yaml")).config
    }

    /// Renders a config and writes the bundle into a new temporary directory.
    static func writtenBundle(_ config: GatewayConfig, prefix: String) throws -> (bundle: RenderedBundle, directory: String) {
        let bundle = try BundleRenderer.render(config)
        let directory = try temporaryDirectory(prefix: prefix) + "/bundle"
        try bundle.write(to: URL(fileURLWithPath: directory), force: false)
        return (bundle, directory)
    }
}
