import Foundation
import GatewayCore
import GatewayProvision

/// What the boots share: the cached base image, the self-contained node binary, the FAKE artifacts with
/// their real checksums, the rendered bundle, and one share directory with the host (its `seed/`,
/// `boot/` and `out/` are rewritten for every boot; `filespace-cloud/` is the filespaces' storage that
/// every instance sees). The deployment is the example with a second filespace, each one a bucket.
struct VMSetup: Sendable {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = packageRoot.appendingPathComponent("scripts/vm", isDirectory: true)
    /// Bounds of one boot, and of the image build's (apt and dpkg under emulation).
    static let bootTimeout = 900
    static let imageBuildTimeout = 1500

    let work: URL
    let image: URL
    let share: URL
    let bundle: URL
    let nodeBinary: URL
    let artifacts: [String: String]
    let deployment: String
    let ssmParameters: [String: String]

    static func make() throws -> VMSetup {
        let temporary = URL(fileURLWithPath: NSTemporaryDirectory())
        // Earlier runs keep their results and console logs; their disks (hundreds of MB) go.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? [] where name.hasPrefix("gw-vm-") {
            removeDisks(in: temporary.appendingPathComponent(name))
        }
        let work = temporary.appendingPathComponent("gw-vm-\(UUID().uuidString.prefix(8))", isDirectory: true)
        let share = work.appendingPathComponent("share", isDirectory: true)
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        let image = URL(fileURLWithPath: try lastLine(of: VMCommand.run([scripts.appendingPathComponent("build-image.sh").path], timeout: 3600)))
        let nodeBinary = try locateNodeBinary()

        let artifactsDirectory = share.appendingPathComponent("artifacts", isDirectory: true)
        let example = try ConfigLoader.load(file: packageRoot.appendingPathComponent("Examples/gateway.yaml").path).config
        let made = try VMCommand.run([scripts.appendingPathComponent("make-fake-artifacts.sh").path, artifactsDirectory.path, example.image.lucidLinkVersion, example.gateway.version])
        var artifacts: [String: String] = [:]
        for line in made.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2 { artifacts[URL(fileURLWithPath: String(fields[0])).lastPathComponent] = String(fields[1]) }
        }
        guard let lucidLink = artifacts["lucidlink-3.deb"], let versity = artifacts.first(where: { $0.key.hasPrefix("versitygw_") })?.value else {
            throw VMSetupError(description: "make-fake-artifacts.sh printed no checksums: \(made)")
        }

        // The example deployment, as a user would write it for these machines: QEMU's NVMe model, and
        // the pins of what the image build downloads (here: the FAKE packages, with their real checksums).
        var config = example
        config.storage.instanceStoreModel = "QEMU NVMe Ctrl"
        config.image.lucidLinkSha256 = lucidLink
        config.gateway.sha256 = versity
        // A second filespace, and each one served as a bucket (`mycompany`, `projects`).
        var second = config.filespaces[0]
        second.name = "projects.vmtest"
        config.filespaces.append(second)
        config.gateway.buckets = .filespaces
        let problems = ConfigValidator().validate(config).filter { $0.severity == .error }
        guard problems.isEmpty else { throw VMSetupError(description: "the VM's config is invalid: \(problems)") }
        let bundle = work.appendingPathComponent("bundle", isDirectory: true)
        _ = try BundleRenderer.render(config).write(to: bundle, force: false)

        let deployment = config.names.deployment
        var parameters: [String: String] = [:]
        for path in ["filespaces/0/password", "gateway/rootAccessKey", "gateway/rootSecretKey"] {
            parameters["gateway/\(deployment)/\(path)"] = path.hasSuffix("AccessKey") ? "AKVM\(UUID().uuidString.prefix(12).uppercased())" : "vm-\(UUID().uuidString)"
        }
        // The FAKE client checks one password digest: both filespaces share the password.
        parameters["gateway/\(deployment)/filespaces/1/password"] = parameters["gateway/\(deployment)/filespaces/0/password"]
        let cloud = share.appendingPathComponent("filespace-cloud")
        try FileManager.default.createDirectory(at: cloud, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o1777])
        try FileManager.default.setAttributes([.posixPermissions: 0o1777], ofItemAtPath: cloud.path)
        return VMSetup(work: work, image: image, share: share, bundle: bundle, nodeBinary: nodeBinary, artifacts: artifacts, deployment: deployment, ssmParameters: parameters)
    }

    /// `GW_NODE_BINARY` (the test command builds it), else built now by `scripts/build-node-binary.sh`.
    static func locateNodeBinary() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["GW_NODE_BINARY"], !path.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: path) else {
                throw VMSetupError(description: "GW_NODE_BINARY=\(path) is not an executable file; build it with scripts/build-node-binary.sh")
            }
            return URL(fileURLWithPath: path)
        }
        let output = try VMCommand.run([packageRoot.appendingPathComponent("scripts/build-node-binary.sh").path], timeout: 3600)
        return URL(fileURLWithPath: try lastLine(of: output))
    }

    /// Removes the disk images of a run's directory.
    static func removeDisks(in directory: URL) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [] where name.hasSuffix(".qcow2") {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    static func lastLine(of output: String) throws -> String {
        guard let line = output.split(separator: "\n").last.map(String.init), line.hasPrefix("/") else {
            throw VMSetupError(description: "expected a path as the last line, got: \(output.suffix(500))")
        }
        return line
    }

    // MARK: Boots

    func boot(_ stage: NodeVM.Stage, earlier: [NodeVM.Stage: VMBootResult]) throws -> VMBootResult {
        let files = FileManager.default
        for name in ["seed", "boot", "out", "staging"] {
            try? files.removeItem(at: share.appendingPathComponent(name))
        }
        try files.createDirectory(at: share.appendingPathComponent("boot"), withIntermediateDirectories: true)
        try files.createDirectory(at: share.appendingPathComponent("out"), withIntermediateDirectories: true)
        try files.copyItem(at: Self.scripts.appendingPathComponent("scenarios/vmcheck.py"), to: share.appendingPathComponent("boot/vmcheck.py"))
        let scenario = stage == .imageBuild ? "image_build.py" : stage == .firstBoot ? "first_boot.py" : "later_boot.py"
        try files.copyItem(at: Self.scripts.appendingPathComponent("scenarios/\(scenario)"), to: share.appendingPathComponent("boot/scenario"))

        let ami = work.appendingPathComponent("ami.qcow2")
        let rootDisk: URL
        var disks: [URL] = []
        switch stage {
        case .imageBuild:
            try prepareImageBuild()
            try VMCommand.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", image.appendingPathComponent("root.raw").path, ami.path])
            rootDisk = ami
        case .firstBoot, .reboot, .stopStart, .newInstance:
            let instance = stage == .newInstance ? "instance-2" : "instance-1"
            rootDisk = work.appendingPathComponent("\(instance).qcow2")
            if stage == .firstBoot || stage == .newInstance {
                try VMCommand.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", ami.path, rootDisk.path])
            }
            // Instance storage: kept over a reboot, new (blank, new serials) after a stop/start.
            let generation = stage == .stopStart ? "b" : "a"
            let prefix = stage == .newInstance ? "i2" : "i1"
            for index in 0..<4 {
                let disk = work.appendingPathComponent("\(prefix)-\(generation)\(index).qcow2")
                if !files.fileExists(atPath: disk.path) {
                    try VMCommand.run(["qemu-img", "create", "-q", "-f", "qcow2", disk.path, "4G"])
                }
                disks.append(disk)
            }
            try seed(stage, earlier: earlier)
        }

        let console = work.appendingPathComponent("console-\(stage.rawValue).log")
        let timeout = stage == .imageBuild ? Self.imageBuildTimeout : Self.bootTimeout
        let begin = Date()
        let status = try VMCommand.status([Self.scripts.appendingPathComponent("boot-vm.sh").path, image.path, rootDisk.path, share.path, console.path, String(timeout)] + disks.map(\.path))
        let wall = Date().timeIntervalSince(begin)
        let results = work.appendingPathComponent("results-\(stage.rawValue)", isDirectory: true)
        try? files.removeItem(at: results)
        try files.moveItem(at: share.appendingPathComponent("out"), to: results)
        if stage == NodeVM.Stage.allCases.last { Self.removeDisks(in: work) }
        let consoleText = (try? String(contentsOf: console, encoding: .utf8)) ?? ""
        var result = VMBootResult(stage: stage, checks: [], figures: [:], wallSeconds: wall, qemuStatus: status, consoleTail: String(consoleText.suffix(4000)), resultsDirectory: results)
        if let data = files.contents(atPath: results.appendingPathComponent("results.json").path),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        {
            for item in object["checks"] as? [[String: Any]] ?? [] {
                result.checks.append(.init(name: item["name"] as? String ?? "", ok: item["ok"] as? Bool ?? false, detail: item["detail"] as? String ?? ""))
            }
            for (key, value) in object["figures"] as? [String: Any] ?? [:] {
                result.figures[key] = "\(value)"
            }
        }
        return result
    }

    /// Boot 1's share: the node bundle and gw-cli where Packer's file provisioners put them, the rendered
    /// provisioning script, and its environment as the rendered template sets it.
    private func prepareImageBuild() throws {
        let files = FileManager.default
        let staging = share.appendingPathComponent("staging", isDirectory: true)
        try files.copyItem(at: bundle.appendingPathComponent("node"), to: staging)
        try files.copyItem(at: nodeBinary, to: staging.appendingPathComponent("gw-cli"))
        let provision = share.appendingPathComponent("provision.sh")
        try? files.removeItem(at: provision)
        try files.copyItem(at: bundle.appendingPathComponent("packer/scripts/provision.sh"), to: provision)
        let template = try String(contentsOf: bundle.appendingPathComponent("packer/gateway.pkr.hcl"), encoding: .utf8)
        let values = try String(contentsOf: bundle.appendingPathComponent("packer/gateway.auto.pkrvars.hcl"), encoding: .utf8)
        let versity = artifacts.keys.first { $0.hasPrefix("versitygw_") }!
        // What `packer build -var NAME=VALUE` would set: downloads from the share, with real checksums.
        let overrides = [
            "lucidlink_v3_url": "file:///mnt/gw/artifacts/lucidlink-3.deb",
            "versitygw_url": "file:///mnt/gw/artifacts/\(versity)",
            "cloudwatch_agent_url": "file:///mnt/gw/artifacts/amazon-cloudwatch-agent.deb",
            "cloudwatch_agent_sha256": artifacts["amazon-cloudwatch-agent.deb"] ?? "",
        ]
        let environment = try PackerEnvironment.provisionerEnvironment(template: template, values: values, overrides: overrides)
        try environment.map { "\($0.name)=\($0.value)" }.joined(separator: "\n").appending("\n")
            .write(to: share.appendingPathComponent("provision.env"), atomically: true, encoding: .utf8)
    }

    /// The seed of an instance boot: its id and user data (the rendered user-data.sh, its `ssm:`
    /// references pointed at the FAKE parameter store), the parameters, and the flags the fakes and the
    /// scenario read.
    private func seed(_ stage: NodeVM.Stage, earlier: [NodeVM.Stage: VMBootResult]) throws {
        let files = FileManager.default
        let seed = share.appendingPathComponent("seed", isDirectory: true)
        let flags = seed.appendingPathComponent("flags", isDirectory: true)
        try files.createDirectory(at: flags, withIntermediateDirectories: true)
        let instance = stage == .newInstance ? "i-0000000000000002" : "i-0000000000000001"
        try instance.write(to: seed.appendingPathComponent("instance-id"), atomically: true, encoding: .utf8)
        let userData = try String(contentsOf: bundle.appendingPathComponent("node/user-data.sh"), encoding: .utf8)
            .replacingOccurrences(of: "\"ssm:/", with: "\"file:/run/fake-ssm/")
        try userData.write(to: seed.appendingPathComponent("user-data"), atomically: true, encoding: .utf8)
        for (name, value) in ssmParameters {
            let file = seed.appendingPathComponent("ssm/\(name)")
            try files.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try value.write(to: file, atomically: true, encoding: .utf8)
        }
        let password = ssmParameters["gateway/\(deployment)/filespaces/0/password"] ?? ""
        var values: [String: String] = [
            "deployment": deployment,
            "boot": stage.rawValue,
            "lucidlink-password.sha256": SHA256Digest.hex(password),
            "image-machine-id": earlier[.imageBuild]?.figures["build_machine_id"] ?? "",
        ]
        if let first = earlier[.firstBoot] {
            values["array-uuid"] = first.figures["array_uuid"] ?? ""
            values["cache-marker"] = first.figures["cache_marker"] ?? ""
            values["first-machine-id"] = first.figures["machine_id"] ?? ""
            values["first-credential-key"] = first.figures["credential_key_sha256"] ?? ""
            values["object-sha256"] = (try? String(contentsOf: first.resultsDirectory.appendingPathComponent("object.sha256"), encoding: .utf8)) ?? ""
        }
        if stage == .newInstance { values["cloudwatch-agent-fails"] = "yes" }
        for (name, value) in values {
            try value.write(to: flags.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }
}
