import Foundation
import GatewayCore
import Testing

@testable import GatewayNode

/// The host, LucidLink, gateway and proxy steps applied for real into a `--root` tree (as for an image
/// build): the service account (useradd --root), sysctl and FUSE files, directories owned by the
/// account, credentials encrypted with systemd-creds, unit files, and `systemctl --root enable`.
@Suite("apply into a --root tree")
struct RootTreeApplyTests {
    struct Tree {
        let directory: String
        var root: String { "\(directory)/root" }
        var configPath: String { "\(directory)/node.json" }
        var hostKey: String { "\(directory)/credential.secret" }
        var passwordFile: String { "\(directory)/secrets/lucidlink" }
    }

    func makeTree() throws -> Tree {
        let tree = Tree(directory: try NodeTestTools.temporaryDirectory("tree"))
        // The minimal account files useradd --root needs (not the machine's own).
        try NodeTestTools.write("root:x:0:0:root:/root:/bin/bash\n", to: "\(tree.root)/etc/passwd")
        try NodeTestTools.write("root:x:0:\n", to: "\(tree.root)/etc/group")
        try NodeTestTools.write("root:*:19000:0:99999:7:::\n", to: "\(tree.root)/etc/shadow", mode: 0o640)
        try NodeTestTools.write("root:*::\n", to: "\(tree.root)/etc/gshadow", mode: 0o640)
        try NodeTestTools.write("# mount_max = 1000\n#user_allow_other\n", to: "\(tree.root)/etc/fuse.conf")
        try NodeTestTools.write("correct horse battery staple\n", to: tree.passwordFile, mode: 0o600)
        try NodeTestTools.write("AKIAGATEWAYROOT0001\n", to: "\(tree.directory)/secrets/access", mode: 0o600)
        try NodeTestTools.write("wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY\n", to: "\(tree.directory)/secrets/secret", mode: 0o600)
        var config = SampleNodes.reference()
        config.filespaces[0].password = Secret(reference: "file:\(tree.passwordFile)")
        config.gateways.rootAccessKey = Secret(reference: "file:\(tree.directory)/secrets/access")
        config.gateways.rootSecretKey = Secret(reference: "file:\(tree.directory)/secrets/secret")
        try JSONEncoder().encode(config).write(to: URL(fileURLWithPath: tree.configPath))
        return tree
    }

    func runtime(_ tree: Tree) -> NodeRuntime {
        NodeRuntime(root: HostRoot(directory: tree.root), commandEnvironment: ["SYSTEMD_CREDENTIAL_SECRET": tree.hostKey])
    }

    let phases: Set<NodePhase> = [.host, .lucidlink, .gateways, .proxy]

    func decrypt(_ tree: Tree, _ credential: NodeCredential) async throws -> String {
        let output = try await NodeTestTools.run(
            ["systemd-creds", "decrypt", "--name=\(credential.name)", "\(tree.root)\(credential.path)", "-"], environment: ["SYSTEMD_CREDENTIAL_SECRET": tree.hostKey])
        #expect(output.succeeded, "\(output.standardError)")
        return output.standardOutput
    }

    @Test("first apply installs everything, a second changes nothing, a new password re-encrypts only it")
    func applyIntoTree() async throws {
        guard NodeTestTools.require("systemd-creds", package: "systemd") != nil, NodeTestTools.require("useradd", package: "passwd") != nil else { return }
        let tree = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: tree.directory) }
        let runtime = runtime(tree)

        let (_, plan) = try await runtime.plan(configPath: tree.configPath, devicesPath: nil, phases: phases)
        let report = try await runtime.apply(plan)
        #expect(report.skipped.isEmpty)
        #expect(report.applied == plan.steps.map(\.id))

        // The account, owned directories and host files.
        let passwd = try String(contentsOfFile: "\(tree.root)/etc/passwd", encoding: .utf8)
        let account = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("gateway:") })
        let uid = UInt32(account.split(separator: ":")[2])
        #expect(HostFiles.ownership("\(tree.root)/media/lucidlink/mycompany")?.uid == uid)
        #expect(HostFiles.mode("\(tree.root)/data/lucidlink/mycompany/cache") == 0o750)
        #expect(try String(contentsOfFile: "\(tree.root)/etc/fuse.conf", encoding: .utf8) == "# mount_max = 1000\nuser_allow_other\n")
        #expect(try String(contentsOfFile: "\(tree.root)\(NodePaths.sysctlFile)", encoding: .utf8) == NetworkTuning.fileContents)

        // Credentials decrypt to the secrets and are private; no unit file holds a secret.
        #expect(try await decrypt(tree, .lucidLinkPassword(mountName: "mycompany")) == "correct horse battery staple")
        #expect(try await decrypt(tree, .gatewayRootAccessKey) == "AKIAGATEWAYROOT0001")
        #expect(try await decrypt(tree, .gatewayRootSecretKey) == "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY")
        #expect(HostFiles.mode("\(tree.root)\(NodeCredential.gatewayRootSecretKey.path)") == 0o600)
        #expect(HostFiles.mode("\(tree.root)\(NodePaths.credentialDirectory)") == 0o700)
        let unitFiles = try FileManager.default.contentsOfDirectory(atPath: "\(tree.root)/etc/systemd/system").filter { $0.hasSuffix(".service") }.sorted()
        #expect(unitFiles == ["gateway-node.service", "gateway-proxy.service", "lucidlink-mycompany.service", "versitygw@.service"])
        for name in unitFiles {
            let text = try String(contentsOfFile: "\(tree.root)/etc/systemd/system/\(name)", encoding: .utf8)
            #expect(!text.contains("correct horse") && !text.contains("AKIAGATEWAYROOT0001") && !text.contains("wJalrXUtnFEMI"))
        }
        let staged = (try? FileManager.default.contentsOfDirectory(atPath: "\(tree.root)/run/gateway-node")) ?? []
        #expect(staged.isEmpty, "plaintext left behind: \(staged)")

        // Enabled for the next boot: the gateways are wanted by LucidLink as well as by multi-user.target.
        let wants = "\(tree.root)/etc/systemd/system"
        for link in [
            "multi-user.target.wants/lucidlink-mycompany.service", "multi-user.target.wants/versitygw@7070.service", "lucidlink-mycompany.service.wants/versitygw@7072.service",
            "multi-user.target.wants/gateway-proxy.service", "multi-user.target.wants/gateway-node.service",
        ] {
            #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: "\(wants)/\(link)")) != nil, "\(link) is not enabled")
        }

        // A second apply changes nothing.
        let (_, again) = try await runtime.plan(configPath: tree.configPath, devicesPath: nil, phases: phases)
        let second = try await runtime.apply(again)
        #expect(second.applied.isEmpty)
        #expect(second.skipped == again.steps.map(\.id))

        // A rotated password re-encrypts that credential only.
        try NodeTestTools.write("a new password\n", to: tree.passwordFile, mode: 0o600)
        let third = try await runtime.apply(try await runtime.plan(configPath: tree.configPath, devicesPath: nil, phases: phases).plan)
        #expect(third.applied == ["lucidlink.mycompany.password"])
        #expect(try await decrypt(tree, .lucidLinkPassword(mountName: "mycompany")) == "a new password")
    }

    @Test("a secret that cannot be read stops the apply before anything changes")
    func unreadableSecret() async throws {
        let tree = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: tree.directory) }
        var config = try NodeConfigFile.load(tree.configPath)
        config.gateways.rootSecretKey = Secret(reference: "ssm:/s3-gateway/prod/gateway/rootSecretKey")
        config.filespaces[0].password = Secret(reference: "file:\(tree.directory)/secrets/missing")
        try JSONEncoder().encode(config).write(to: URL(fileURLWithPath: tree.configPath))
        let runtime = runtime(tree)
        let before = try FileManager.default.subpathsOfDirectory(atPath: tree.root).sorted()
        do {
            let (_, plan) = try await runtime.plan(configPath: tree.configPath, devicesPath: nil, phases: phases)
            _ = try await runtime.apply(plan)
            Issue.record("the apply ran without its secrets")
        } catch let error as NodeInputError {
            #expect(error.problems.map(\.path) == ["filespaces[0].password", "gateways.rootSecretKey"])
            #expect(error.problems[0].message.contains("does not exist"))
            #expect(error.problems[1].message.contains("needs AWS access"))
        }
        #expect(try FileManager.default.subpathsOfDirectory(atPath: tree.root).sorted() == before)
    }
}

extension RootTreeApplyTests {
    @Test("ssm: secrets are read from SSM (moto, signatures checked) with the default credential chain")
    func secretsFromParameterStore() async throws {
        guard NodeTestTools.require("systemd-creds", package: "systemd") != nil, NodeTestTools.require("useradd", package: "passwd") != nil else { return }
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        let ssm = try SSMClient(configuration: moto.configuration())
        try await ssm.putSecureString(name: "/s3-gateway/prod/filespaces/0/password", value: "from parameter store")
        try await ssm.putSecureString(name: "/s3-gateway/prod/gateway/rootAccessKey", value: "AKIAFROMSSM00000001")
        try await ssm.putSecureString(name: "/s3-gateway/prod/gateway/rootSecretKey", value: "secret-from-ssm-0123456789")

        let tree = try makeTree()
        defer { try? FileManager.default.removeItem(atPath: tree.directory) }
        try JSONEncoder().encode(SampleNodes.reference()).write(to: URL(fileURLWithPath: tree.configPath))
        var runtime = runtime(tree)
        // What an instance has: credentials from the default chain (here the environment), the endpoint
        // from AWS_ENDPOINT_URL, no shared config files.
        runtime.resolver = NodeSecrets.resolver(
            region: moto.region,
            environment: [
                "AWS_ENDPOINT_URL": moto.server.url, "AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": moto.secretKey,
                "HOME": "/nonexistent-gateway-test-home",
            ])
        let (_, plan) = try await runtime.plan(configPath: tree.configPath, devicesPath: nil, phases: [.host, .lucidlink, .gateways])
        _ = try await runtime.apply(plan)
        #expect(try await decrypt(tree, .lucidLinkPassword(mountName: "mycompany")) == "from parameter store")
        #expect(try await decrypt(tree, .gatewayRootAccessKey) == "AKIAFROMSSM00000001")
        #expect(try await decrypt(tree, .gatewayRootSecretKey) == "secret-from-ssm-0123456789")

        // Wrong credentials: the apply stops before anything changes, naming the secrets' fields.
        runtime.resolver = NodeSecrets.resolver(
            region: moto.region,
            environment: [
                "AWS_ENDPOINT_URL": moto.server.url, "AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": "wrong",
                "HOME": "/nonexistent-gateway-test-home",
            ])
        do {
            _ = try await runtime.apply(plan)
            Issue.record("the apply ran with unreadable secrets")
        } catch let error as NodeInputError {
            #expect(error.problems.map(\.path) == ["filespaces[0].password", "gateways.rootAccessKey", "gateways.rootSecretKey"])
        }
    }
}
