import Foundation
import GatewayCore
import GatewayProvision
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import GatewayREST

/// The same action input through both fronts: the real `gw-cli` process and the REST router. Each
/// row is one input that both fronts can express; both must accept it, or refuse it with the same
/// problem codes (the library's ``DeploymentActionRequest`` rules), each naming the option in its own
/// terms (`--ami`, `amiId`).
///
/// An accepted input goes on to the run, which fails for reasons this test arranges and does not
/// look at: no terraform where the fronts look for it, no node binary, an AWS endpoint on a closed
/// loopback port. Nothing is created anywhere.
@Suite("One action model: the same input is accepted or refused the same way by gw-cli and gw-rest")
struct ActionRulesTests {
    typealias Support = RESTTestSupport

    /// One input: the action, its options, and the problem codes both fronts must answer (empty:
    /// accepted).
    struct Row: Sendable, CustomStringConvertible {
        var request: DeploymentActionRequest
        var codes: [ActionProblem.Code]
        var description: String { "\(request.action.rawValue) \(Self.options(request)) -> \(codes.map(\.rawValue))" }

        static func options(_ request: DeploymentActionRequest) -> String {
            request.givenOptions.map(\.rawValue).joined(separator: ",")
        }
    }

    static let deployment = "rules-prod"
    static let planRun = "20261127T095018Z-3fa2c1"
    static let ami = "ami-0123456789abcdef0"

    static let rows: [Row] = [
        Row(request: .init(.plan), codes: []),
        Row(request: .init(.plan, amiId: ami), codes: []),
        Row(request: .init(.plan, amiId: "ami-0123456789"), codes: [.invalidAMIID]),
        Row(request: .init(.plan, amiId: "ami-0123456789ABCDEF0"), codes: [.invalidAMIID]),
        Row(request: .init(.plan, destroy: true), codes: []),
        Row(request: .init(.plan, amiId: ami, destroy: true), codes: [.conflictingOptions]),
        Row(request: .init(.apply), codes: [.missingOption]),
        Row(request: .init(.apply, planRun: planRun), codes: []),
        Row(request: .init(.apply, planRun: planRun, autoApprove: true), codes: [.conflictingOptions]),
        Row(request: .init(.apply, planRun: "../../etc"), codes: [.invalidRunID]),
        Row(request: .init(.apply, amiId: ami, planRun: planRun), codes: [.conflictingOptions]),
        Row(request: .init(.apply, amiId: ami, autoApprove: true), codes: []),
        Row(request: .init(.apply, amiId: "ami-12", autoApprove: true), codes: [.invalidAMIID]),
        Row(request: .init(.destroy), codes: [.missingOption]),
        Row(request: .init(.destroy, planRun: planRun), codes: []),
        Row(request: .init(.destroy, autoApprove: true), codes: [.missingOption]),
        Row(request: .init(.destroy, autoApprove: true, confirm: "other-prod"), codes: [.confirmationMismatch]),
        Row(request: .init(.destroy, planRun: planRun, confirm: "other-prod"), codes: [.confirmationMismatch]),
        Row(request: .init(.destroy, autoApprove: true, confirm: deployment), codes: []),
        Row(request: .init(.imageBuild, nodeBinary: "/nonexistent/gw-cli"), codes: []),
        Row(request: .init(.rollout), codes: [.missingOption]),
        Row(request: .init(.rollout, amiId: "ami-0123456789"), codes: [.invalidAMIID]),
        Row(request: .init(.rollout, amiId: ami, checkpoints: [66, 33]), codes: []),
        Row(request: .init(.rollout, amiId: ami, checkpoints: [33, 33, 100]), codes: [.invalidCheckpoints]),
        Row(request: .init(.rollout, amiId: ami, checkpoints: [0, 50]), codes: [.invalidCheckpoints]),
        Row(request: .init(.rollout, amiId: ami, minHealthy: 101), codes: [.outOfRange]),
        Row(request: .init(.rollout, amiId: ami, pollSeconds: 0), codes: [.outOfRange]),
        Row(request: .init(.rollout, amiId: ami, pollSeconds: 0.5, timeoutMinutes: 30), codes: []),
        Row(request: .init(.rollout, amiId: ami, timeoutMinutes: 0), codes: [.outOfRange]),
        Row(request: .init(.rollout, amiId: "ami-x", minHealthy: 200, checkpoints: [101]), codes: [.invalidAMIID, .outOfRange, .invalidCheckpoints]),
        Row(request: .init(.rollback), codes: []),
        Row(request: .init(.rollback, minHealthy: -1), codes: [.outOfRange]),
        Row(request: .init(.rollback, pollSeconds: 7200), codes: [.outOfRange]),
    ]

    /// The environment of both fronts: nothing they could reach.
    static func environment(home: URL) -> [String: String] {
        [
            "HOME": home.path, "PATH": "/usr/bin:/bin",
            "GW_TERRAFORM": "/nonexistent/terraform", "GW_PACKER": "/nonexistent/packer",
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLEEXAMPLE00", "AWS_SECRET_ACCESS_KEY": "not-a-real-secret",
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "AWS_MAX_ATTEMPTS": "1",
            "UNSET_HERE": "",
        ]
    }

    /// The config both fronts use: the REST test config, with one secret whose variable is unset.
    static var configYAML: String {
        Support.validYAML(name: "rules").replacingOccurrences(of: "env:S3_SECRET", with: "env:GW_RULES_UNSET_SECRET")
    }

    /// The command line of a row.
    static func arguments(_ request: DeploymentActionRequest, file: String, root: String) -> [String] {
        var arguments: [String]
        switch request.action {
        case .plan: arguments = ["plan", file]
        case .apply: arguments = ["apply", file]
        case .destroy: arguments = ["destroy", file]
        case .imageBuild: arguments = ["ami", "build", file]
        case .rollout: arguments = ["rollout", file]
        case .rollback: arguments = ["rollout", "rollback", file]
        }
        arguments += ["--workspace-root", root]
        if let value = request.amiId { arguments.append("--ami=\(value)") }
        if let value = request.planRun { arguments.append("--plan=\(value)") }
        if request.autoApprove == true { arguments.append("--auto-approve") }
        if let value = request.confirm { arguments.append("--confirm=\(value)") }
        if request.destroy == true { arguments.append("--destroy") }
        if let value = request.minHealthy { arguments.append("--min-healthy=\(value)") }
        if let value = request.checkpoints { arguments.append("--checkpoints=\(RolloutCheckpoints.text(value))") }
        if let value = request.pollSeconds { arguments.append("--poll-seconds=\(value)") }
        if let value = request.timeoutMinutes { arguments.append("--timeout-minutes=\(value)") }
        if let value = request.nodeBinary { arguments.append("--node-binary=\(value)") }
        return arguments
    }

    /// The JSON body of a row.
    static func body(_ request: DeploymentActionRequest) throws -> String {
        var object: [String: Any] = ["action": request.action.rawValue]
        if let value = request.amiId { object["amiId"] = value }
        if let value = request.planRun { object["planRun"] = value }
        if let value = request.autoApprove { object["autoApprove"] = value }
        if let value = request.confirm { object["confirm"] = value }
        if let value = request.destroy { object["destroy"] = value }
        if let value = request.minHealthy { object["minHealthy"] = value }
        if let value = request.checkpoints { object["checkpoints"] = value }
        if let value = request.pollSeconds { object["pollSeconds"] = value }
        if let value = request.timeoutMinutes { object["timeoutMinutes"] = value }
        if let value = request.nodeBinary { object["nodeBinary"] = value }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The codes in gw-cli's error lines (`error: --ami: ... [invalid-ami-id]`), in order.
    static func cliCodes(_ lines: [String]) -> [String] {
        lines.compactMap { line -> String? in
            guard line.hasPrefix("error: --") || line.hasPrefix("error: the command:"), line.hasSuffix("]"),
                let open = line.lastIndex(of: "[")
            else { return nil }
            return String(line[line.index(after: open)..<line.index(before: line.endIndex)])
        }
    }

    @Test("Every row: same acceptance, same codes, options named in each front's terms")
    func bothFrontsApplyTheSameRules() async throws {
        let home = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let cliRoot = home.appendingPathComponent("cli-workspaces")
        let restRoot = home.appendingPathComponent("rest-workspaces")
        try FileManager.default.createDirectory(at: restRoot, withIntermediateDirectories: true)
        let file = home.appendingPathComponent("gateway.yaml")
        try Self.configYAML.write(to: file, atomically: true, encoding: .utf8)
        let environment = Self.environment(home: home)
        var configuration = try Support.configuration(root: restRoot)
        configuration.environment = environment
        let app = try await buildApplication(configuration, logger: Logger(label: "test"))
        let runner = ProcessRunner()
        let shared = try await app.test(.router) { client -> Int in
            var compared = 0
            // The config with an unset env: variable is stored, with the same warning the CLI gives.
            try await client.execute(uri: "/v1/deployments/\(Self.deployment)", method: .put, headers: Support.headers("application/yaml"), body: Support.buffer(Self.configYAML)) { response in
                #expect(response.status == .created, "\(String(buffer: response.body))")
                let warnings = (try Support.json(response)["warnings"] as? [[String: Any]]) ?? []
                #expect(warnings.contains { $0["path"] as? String == "gateway.rootSecretKey" && ($0["message"] as? String)?.contains("GW_RULES_UNSET_SECRET is not set") == true }, "\(warnings)")
            }
            let validate = try await runner.run(
                ProcessCommand(
                    executable: TerraformTestTools.debugGatewayCLI.path, arguments: ["validate", file.path],
                    environment: ProcessEnvironment(environment), timeout: .seconds(60)))
            #expect(validate.exit.status == .exited(0), "\(validate.errorText)")
            #expect(
                (validate.outputText + validate.errorText).contains("warning: gateway.rootSecretKey: the environment variable GW_RULES_UNSET_SECRET is not set here"),
                "\(validate.outputText)\(validate.errorText)")

            for row in Self.rows {
                let expected = row.codes.map(\.rawValue)
                // gw-cli, as a process.
                let cli = try await runner.run(
                    ProcessCommand(
                        executable: TerraformTestTools.debugGatewayCLI.path,
                        arguments: Self.arguments(row.request, file: file.path, root: cliRoot.path),
                        environment: ProcessEnvironment(environment), timeout: .seconds(120)))
                let cliCodes = Self.cliCodes(cli.standardError)
                #expect(cliCodes == expected, "gw-cli, \(row): \(cli.errorText)")
                if expected.isEmpty {
                    #expect(cli.exit.status != .exited(2) && cli.exit.status != .exited(64), "gw-cli refused \(row) as usage: \(cli.errorText)")
                } else {
                    #expect(cli.exit.status == .exited(2), "gw-cli, \(row): \(cli.exit.status) \(cli.errorText)")
                    for problem in row.request.problems(deployment: Self.deployment) {
                        #expect(cli.errorText.contains("error: \(ActionRequestSupportNames.flag(problem.option)): \(problem.message)"), "gw-cli, \(row): \(cli.errorText)")
                    }
                }
                // gw-rest, through its router.
                try await client.execute(uri: "/v1/deployments/\(Self.deployment)/runs", method: .post, headers: Support.headers("application/json"), body: Support.buffer(try Self.body(row.request)))
                { response in
                    let body = (try? Support.json(response)) ?? [:]
                    let problems = body["actionProblems"] as? [[String: Any]] ?? []
                    #expect(problems.compactMap { $0["code"] as? String } == expected, "gw-rest, \(row): \(body)")
                    if expected.isEmpty {
                        let kind = body["type"] as? String ?? ""
                        #expect(!kind.hasSuffix(":malformed-request") && !kind.hasSuffix(":confirmation-mismatch"), "gw-rest refused \(row): \(body)")
                    } else {
                        let status = row.codes.contains(.confirmationMismatch) ? 422 : 400
                        #expect(Int(response.status.code) == status, "gw-rest, \(row): \(body)")
                        let library = row.request.problems(deployment: Self.deployment)
                        #expect(problems.compactMap { $0["member"] as? String } == library.map(\.option.rawValue))
                        #expect(problems.compactMap { $0["message"] as? String } == library.map(\.message))
                    }
                }
                // Wait for a run an accepted row started, so the next row finds the deployment free.
                for _ in 0..<600 {
                    let workspace = try WorkspaceRoot(url: restRoot).deployment(named: Self.deployment)
                    if workspace.records().allSatisfy({ $0.status.isFinal }) { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                compared += 1
            }
            return compared
        }
        #expect(shared == Self.rows.count)
        // Both fronts' texts come from the library: no message or hint names a front.
        for row in Self.rows {
            for problem in row.request.problems(deployment: Self.deployment) {
                for text in [problem.message, problem.hint] {
                    #expect(!text.contains("gw-cli") && !text.contains("--") && !text.contains("\"" + problem.option.rawValue), "\(text)")
                }
            }
        }
    }
}

/// gw-cli's flag names, as the test expects them in its messages (the CLI's own table is not
/// importable from a test of another target).
enum ActionRequestSupportNames {
    static func flag(_ option: ActionOption) -> String {
        switch option {
        case .action: "the command"
        case .amiId: "--ami"
        case .planRun: "--plan"
        case .autoApprove: "--auto-approve"
        case .confirm: "--confirm"
        case .destroy: "--destroy"
        case .minHealthy: "--min-healthy"
        case .checkpoints: "--checkpoints"
        case .pollSeconds: "--poll-seconds"
        case .timeoutMinutes: "--timeout-minutes"
        case .nodeBinary: "--node-binary"
        }
    }
}
