import Foundation
import GatewayCore
import GatewayProvision
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import GatewayREST

/// The bucket mapping's rules (`gateway.buckets`) through both fronts: `gw-cli validate --json` as a
/// process and `POST /v1/validate` through the router answer every config with the same problems
/// (path, line, severity, message, hint), because both take them from the library.
@Suite("Bucket mapping rules: gw-cli validate and POST /v1/validate agree")
struct BucketRulesTests {
    typealias Support = RESTTestSupport

    /// A config with the given filespaces and extra `gateway:` lines.
    static func yaml(filespaces: [String], gateway: [String] = []) -> String {
        var lines = [
            "project: {name: buckets, environment: prod, region: us-east-1}",
            "compute: {amiId: ami-0123456789abcdef0}",
            "dns: {zoneName: example.com}",
            "filespaces:",
        ]
        lines += filespaces.map { "  - {name: \($0), user: gateway@example.com, password: \"env:LL_PASSWORD\"}" }
        lines += ["gateway:", "  rootAccessKey: \"env:S3_KEY\"", "  rootSecretKey: \"env:S3_SECRET\"", "  sha256: \(String(repeating: "ab", count: 32))"] + gateway.map { "  \($0)" }
        lines.append("image: {lucidLinkVersion: 3.2.6817, lucidLinkSha256: \(String(repeating: "cd", count: 32))}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Each input and the error paths both fronts must report (empty: valid).
    static let rows: [(name: String, yaml: String, errors: [String])] = [
        ("one filespace, folders by default", yaml(filespaces: ["media.acme"]), []),
        ("two filespaces, a bucket each by default", yaml(filespaces: ["media.acme", "projects.acme"]), []),
        ("two filespaces as folders", yaml(filespaces: ["media.acme", "projects.acme"], gateway: ["buckets: folders"]), ["filespaces[1]"]),
        ("folders with the IAM directory on the second", yaml(filespaces: ["media.acme", "projects.acme"], gateway: ["buckets: folders", "iamDir: /media/lucidlink/projects/.vgw"]), []),
        (
            "a data root and an IAM directory with filespaces",
            yaml(filespaces: ["media.acme", "projects.acme"], gateway: ["buckets: filespaces", "dataRoot: /media/lucidlink/media", "iamDir: /media/lucidlink/media/.vgw"]),
            ["gateway.dataRoot", "gateway.iamDir"]
        ),
        ("mount names that are no bucket names", yaml(filespaces: ["raw_footage.acme", "tv.acme", "xn--x.acme"]), ["filespaces[0].name", "filespaces[1].name", "filespaces[2].name"]),
        ("an unknown layout", yaml(filespaces: ["media.acme"], gateway: ["buckets: by-prefix"]), ["gateway.buckets"]),
    ]

    /// A problem as both fronts print it, reduced to what must agree.
    static func key(_ object: [String: Any]) -> String {
        ["path", "line", "severity", "message", "hint"].map { "\(object[$0] ?? "nil")" }.joined(separator: " | ")
    }

    @Test("Every row: the same problems from both fronts, the expected errors")
    func bothFrontsAgree() async throws {
        let home = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let runner = ProcessRunner()
        let environment = ["HOME": home.path, "PATH": "/usr/bin:/bin", "AWS_EC2_METADATA_DISABLED": "true"]
        let compared = try await Support.withRouterClient { client -> Int in
            var compared = 0
            for (index, row) in Self.rows.enumerated() {
                let file = home.appendingPathComponent("gateway-\(index).yaml")
                try row.yaml.write(to: file, atomically: true, encoding: .utf8)
                let cli = try await runner.run(
                    ProcessCommand(
                        executable: TerraformTestTools.debugGatewayCLI.path, arguments: ["validate", "--json", file.path],
                        environment: ProcessEnvironment(environment), timeout: .seconds(60)))
                let cliProblems = (try JSONSerialization.jsonObject(with: Data(cli.outputText.utf8)) as? [[String: Any]]) ?? []
                #expect(cli.exit.status == .exited(row.errors.isEmpty ? 0 : 1), "\(row.name): \(cli.errorText)")

                var headers = Support.authorization
                headers[.contentType] = "application/yaml"
                try await client.execute(uri: "/v1/validate", method: .post, headers: headers, body: Support.buffer(row.yaml)) { response in
                    #expect(response.status == .ok)
                    let body = try Support.json(response)
                    let restProblems = body["problems"] as? [[String: Any]] ?? []
                    #expect(restProblems.map(Self.key) == cliProblems.map(Self.key), "\(row.name)")
                    #expect(body["valid"] as? Bool == row.errors.isEmpty, "\(row.name): \(restProblems)")
                }
                let errors = cliProblems.filter { $0["severity"] as? String == "error" }
                #expect(errors.compactMap { $0["path"] as? String } == row.errors, "\(row.name): \(errors)")
                for error in errors {
                    #expect((error["hint"] as? String)?.isEmpty == false, "\(row.name): \(error)")
                    #expect(!((error["message"] as? String ?? "") + (error["hint"] as? String ?? "")).contains("gw-cli"), "\(row.name): a library message names a front")
                }
                compared += cliProblems.count
            }
            return compared
        }
        #expect(compared >= 8)
    }
}
