import Foundation
import Testing

@testable import GatewayCore

/// How buckets map to filespaces (`gateway.buckets`): the default a file gets, the rules of each
/// layout, and what the node derives from it (data root, IAM directory, the gateway unit's bindings).
@Suite("Buckets and filespaces")
struct BucketMappingTests {
    /// A valid config text with a second filespace (unless nil) and extra `gateway:` lines.
    static func yaml(secondFilespace: String? = "projects.acme", gateway: [String] = []) -> String {
        var lines = [
            "project: {name: s3-gateway, environment: prod, region: us-east-1}",
            "compute: {amiId: ami-0123456789abcdef0}",
            "dns: {zoneName: example.com}",
            "filespaces:",
            "  - {name: mycompany.dmpfs, user: gateway@example.com, password: \"env:LL_PASSWORD\"}",
        ]
        if let secondFilespace {
            lines.append("  - {name: \(secondFilespace), user: ops@example.com, password: \"env:LL_PASSWORD\"}")
        }
        lines += ["gateway:", "  rootAccessKey: \"env:S3_KEY\"", "  rootSecretKey: \"env:S3_SECRET\""] + gateway.map { "  \($0)" }
        lines.append("image: {lucidLinkVersion: 3.2.6817, lucidLinkSha256: 9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0}")
        return lines.joined(separator: "\n") + "\n"
    }

    static func errors(_ text: String) throws -> [ConfigProblem] {
        try ConfigLoader.load(text: text).validate().filter { $0.severity == .error }
    }

    @Test("A file that does not choose: one filespace serves its folders, several are one bucket each, a data root keeps folders")
    func defaults() throws {
        let one = try ConfigLoader.load(text: Self.yaml(secondFilespace: nil)).config
        #expect(one.gateway.buckets == .folders)
        let two = try ConfigLoader.load(text: Self.yaml()).config
        #expect(two.filespaces.count == 2)
        #expect(two.gateway.buckets == .filespaces)
        #expect(try Self.errors(Self.yaml()).isEmpty)
        let rooted = try ConfigLoader.load(text: Self.yaml(gateway: ["dataRoot: /media/lucidlink/projects/s3"])).config
        #expect(rooted.gateway.buckets == .folders)
        // The explicit choice survives the YAML writer and the loader.
        var chosen = two
        chosen.gateway.buckets = .folders
        chosen.gateway.iamDir = "/media/lucidlink/projects/.vgw"
        #expect(try ConfigLoader.load(text: try ConfigYAMLWriter.yaml(for: chosen, revealingSecretLiterals: true)).config == chosen)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let path: String
        let message: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "folders leave a filespace unserved", yaml: yaml(gateway: ["buckets: folders"]), path: "filespaces[1]",
            message: "projects.acme would be mounted, and take cache, but S3 could not reach it: with gateway.buckets: folders the buckets are the folders of /media/lucidlink/mycompany only"),
        Case(
            name: "data root and IAM directory on one filespace of two", yaml: yaml(gateway: ["dataRoot: /media/lucidlink/projects/s3", "iamDir: /media/lucidlink/projects/.vgw"]),
            path: "filespaces[0]",
            message: "mycompany.dmpfs would be mounted, and take cache, but S3 could not reach it: with gateway.buckets: folders the buckets are the folders of /media/lucidlink/projects/s3 only"),
        Case(
            name: "a data root with filespaces", yaml: yaml(gateway: ["buckets: filespaces", "dataRoot: /media/lucidlink/projects"]), path: "gateway.dataRoot",
            message: "must be empty with gateway.buckets: filespaces: the gateways serve /media/lucidlink, where each filespace is a bucket"),
        Case(
            name: "an IAM directory inside a bucket", yaml: yaml(gateway: ["iamDir: /media/lucidlink/mycompany/.vgw"]), path: "gateway.iamDir",
            message: "must be empty with gateway.buckets: filespaces: every filespace is a bucket, so the IAM account file (every access key) would be readable as objects"),
        Case(
            name: "a mount name with an underscore", yaml: yaml(secondFilespace: "raw_footage.acme"), path: "filespaces[1].name",
            message: "mount name \"raw_footage\" is the name of this filespace's bucket (gateway.buckets: filespaces), and a bucket name cannot contain '_'"),
        Case(
            name: "a mount name too short for a bucket", yaml: yaml(secondFilespace: "tv.acme"), path: "filespaces[1].name",
            message: "mount name \"tv\" is the name of this filespace's bucket (gateway.buckets: filespaces), and a bucket name has at least 3 characters"),
        Case(
            name: "a reserved bucket prefix", yaml: yaml(secondFilespace: "xn--media.acme"), path: "filespaces[1].name",
            message: "mount name \"xn--media\" is the name of this filespace's bucket (gateway.buckets: filespaces), and a bucket name cannot start with xn--"),
        Case(
            name: "a mount name ending in a hyphen", yaml: yaml(secondFilespace: "media-.acme"), path: "filespaces[1].name",
            message: "mount name \"media-\" is the name of this filespace's bucket (gateway.buckets: filespaces), and a bucket name starts and ends with a letter or digit"),
        Case(
            name: "one filespace as a bucket, with a bad name",
            yaml: yaml(secondFilespace: nil, gateway: ["buckets: filespaces"]).replacingOccurrences(of: "name: mycompany.dmpfs", with: "name: my_company.dmpfs"), path: "filespaces[0].name",
            message: "mount name \"my_company\" is the name of this filespace's bucket (gateway.buckets: filespaces), and a bucket name cannot contain '_'"),
        Case(
            name: "an unknown layout", yaml: yaml(gateway: ["buckets: per-folder"]), path: "gateway.buckets",
            message: "\"per-folder\" is not one of \"folders\", \"filespaces\""),
    ]

    @Test("Each bad mapping names the field and the fix", arguments: cases)
    func reportsProblem(_ testCase: Case) throws {
        let problems: [ConfigProblem]
        do {
            problems = try Self.errors(testCase.yaml)
        } catch let error as ConfigLoadError {
            problems = error.problems
        }
        let match = problems.first { $0.path == testCase.path }
        #expect(match?.message == testCase.message, "\(problems.map { "\($0.path): \($0.message)" })")
        #expect(match?.hint.isEmpty == false)
        #expect(match?.line != nil, "the problem points at a line of the file")
    }

    @Test("A bucket per filespace: the node serves the mounts' directory, binds every filespace, runs without an IAM directory")
    func nodeOfFilespaceBuckets() throws {
        let config = try ConfigLoader.load(text: Self.yaml()).config
        let node = NodeConfig(deployment: config, secrets: .asConfigured)
        #expect(node.gateways.dataRoot == NodeConfig.filespaceMountRoot)
        #expect(node.gateways.iamDir.isEmpty)
        #expect(NodeConfigValidator().validate(node).isEmpty)
        #expect(GatewayUnit.requiredFilespaces(in: node).map(\.mountName) == ["mycompany", "projects"])
        #expect(GatewayUnit.servesMountsAsBuckets(node))
        #expect(!GatewayUnit.environment(in: node).contains { $0.name == "VGW_IAM_DIR" })
        let unit = GatewayUnit.file(for: node).text
        #expect(unit.contains("BindsTo=lucidlink-mycompany.service lucidlink-projects.service"))
        #expect(unit.contains("ExecStartPre=/usr/bin/mountpoint -q /media/lucidlink/mycompany\nExecStartPre=/usr/bin/mountpoint -q /media/lucidlink/projects\n"))
        #expect(unit.contains("/usr/local/bin/versitygw posix /media/lucidlink\n"))

        let mapping = config.bucketMapping
        #expect(mapping.layout == .filespaces)
        #expect(mapping.filespaceBuckets.map(\.bucket) == ["mycompany", "projects"])
        #expect(mapping.summary == "one bucket per filespace: mycompany = mycompany.dmpfs:/, projects = projects.acme:/")

        // A node config edited by hand to put the IAM directory inside a served mount is refused.
        var edited = node
        edited.gateways.iamDir = "/media/lucidlink/projects/.vgw"
        #expect(NodeConfigValidator().validate(edited).contains { $0.path == "gateways.iamDir" && $0.message.contains("served as a bucket") })
        edited.gateways.iamDir = ""
        edited.filespaces[1].mountPoint = "/srv/projects"
        #expect(NodeConfigValidator().validate(edited).contains { $0.path == "gateways.dataRoot" && $0.message == "/media/lucidlink holds some filespace mounts but not /srv/projects" })
    }

    @Test("The folders of one filespace: data root and IAM directory on its mount, as before")
    func nodeOfFolders() throws {
        let config = try ConfigLoader.load(text: Self.yaml(secondFilespace: nil)).config
        let node = NodeConfig(deployment: config, secrets: .asConfigured)
        #expect(node.gateways.dataRoot == "/media/lucidlink/mycompany")
        #expect(node.gateways.iamDir == "/media/lucidlink/mycompany/.vgw")
        #expect(!GatewayUnit.servesMountsAsBuckets(node))
        #expect(GatewayUnit.environment(in: node).contains { $0.name == "VGW_IAM_DIR" && $0.value == "/media/lucidlink/mycompany/.vgw" })
        #expect(config.bucketMapping.summary == "the folders of /media/lucidlink/mycompany (filespace mycompany.dmpfs)")
        // Two filespaces in folders: the IAM directory on the second keeps both in use.
        let two = try ConfigLoader.load(text: Self.yaml(gateway: ["buckets: folders", "iamDir: /media/lucidlink/projects/.vgw"])).config
        #expect(try Self.errors(Self.yaml(gateway: ["buckets: folders", "iamDir: /media/lucidlink/projects/.vgw"])).isEmpty)
        #expect(GatewayUnit.requiredFilespaces(in: NodeConfig(deployment: two, secrets: .asConfigured)).count == 2)
    }
}
