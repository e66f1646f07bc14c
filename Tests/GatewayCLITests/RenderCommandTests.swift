import Foundation
import GatewayCore
import Testing

/// `gw-cli render` as a user runs it: the built binary, real files.
@Suite("gw-cli render")
struct RenderCommandTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `gw-cli` binary next to the test bundle (same build).
    static var binary: String {
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [products.appendingPathComponent("gw-cli").path, packageRoot.appendingPathComponent(".build/debug/gw-cli").path]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return products.appendingPathComponent("gw-cli").path
    }

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func gwCLI(_ arguments: [String]) throws -> Run {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gw-cli-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("out")
        let err = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Run(status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8), stderr: try String(contentsOf: err, encoding: .utf8))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gw-cli-render-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    var example: String { Self.packageRoot.appendingPathComponent("Examples/gateway.yaml").path }

    @Test("renders the example and prints the files and resources by type")
    func rendersExample() throws {
        let parent = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("bundle").path
        let run = try Self.gwCLI(["render", example, "--out", out])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Rendered s3-gateway-prod into \(out): "))
        #expect(run.stdout.contains("  terraform/compute.tf\n"))
        #expect(run.stdout.contains("  node/user-data.sh (executable)\n"))
        #expect(run.stdout.contains("Resources by type:\n"))
        #expect(run.stdout.contains("  aws_subnet "))
        for path in ["terraform/versions.tf", "terraform/terraform.tfvars.json", "packer/gateway.pkr.hcl", "packer/scripts/provision.sh", "node/node.json", "node/systemd/gateway-proxy.service"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + path), "\(path) is missing")
        }
    }

    @Test("--json prints a machine-readable summary")
    func json() throws {
        let parent = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("bundle").path
        let run = try Self.gwCLI(["render", example, "--out", out, "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect(object?["deployment"] as? String == "s3-gateway-prod")
        #expect(object?["created"] as? Bool == true)
        #expect((object?["files"] as? [[String: Any]])?.contains { $0["path"] as? String == "node/user-data.sh" && $0["mode"] as? String == "755" } == true)
        #expect((object?["resourcesByType"] as? [String: Int])?["aws_autoscaling_group"] == 1)
    }

    @Test("an invalid config exits 1, names the problem and writes nothing")
    func invalidConfig() throws {
        let parent = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let config = parent.appendingPathComponent("bad.yaml")
        let text = try String(contentsOfFile: example, encoding: .utf8).replacingOccurrences(of: "type: alb", with: "type: alb\n  tlsPolicy: ELBSecurityPolicy-2016-08")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let out = parent.appendingPathComponent("bundle").path
        let run = try Self.gwCLI(["render", config.path, "--out", out])
        #expect(run.status == 1)
        #expect(run.stderr.contains("loadBalancer.tlsPolicy"))
        #expect(run.stderr.contains("nothing was rendered"))
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["bad.yaml"])
    }

    @Test("a foreign non-empty directory needs --force, and terraform.tfstate survives every render")
    func foreignDirectory() throws {
        let parent = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: out.appendingPathComponent("terraform"), withIntermediateDirectories: true)
        let state = out.appendingPathComponent("terraform/terraform.tfstate")
        try Data("{\"serial\": 7}".utf8).write(to: state)
        let refused = try Self.gwCLI(["render", example, "--out", out.path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--force"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("terraform/versions.tf").path))
        let forced = try Self.gwCLI(["render", example, "--out", out.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        let again = try Self.gwCLI(["render", example, "--out", out.path])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(FileManager.default.contents(atPath: state.path) == Data("{\"serial\": 7}".utf8))
    }

    @Test("a missing --out is a usage error")
    func usage() throws {
        let run = try Self.gwCLI(["render", example])
        #expect(run.status == 2)
    }
}
