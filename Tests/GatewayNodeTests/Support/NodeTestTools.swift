import Foundation
import GatewayNode
import Testing

/// Helpers shared by the node tests: temporary directories, required tools, running commands.
enum NodeTestTools {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A fresh temporary directory.
    static func temporaryDirectory(_ purpose: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gw-node-\(purpose)-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The path of a required tool; records a failure that says how to install it when missing.
    static func require(_ tool: String, package: String) -> String? {
        if let path = ["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin"].map({ "\($0)/\(tool)" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) }) {
            return path
        }
        Issue.record("\(tool) is missing (package \(package)): run scripts/install-test-deps.sh")
        return nil
    }

    /// Runs a command with the project's runner.
    static func run(_ argv: [String], environment: [String: String] = [:]) async throws -> CommandOutput {
        try await ProcessCommandRunner().run(argv, environment: environment, redacting: [], timeout: .seconds(120))
    }

    /// Writes a text file, creating its directory.
    static func write(_ text: String, to path: String, mode: Int = 0o644) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode_t(mode))
    }
}
