import Foundation
import Testing

/// schemathesis (PyPI) against the running server with its own `/openapi.json` and a token: every
/// check it has (server errors, status codes, content types, headers, response schemas, negative and
/// positive data, unsupported methods and the Allow header, ignored auth, stateful use-after-free),
/// a bounded number of examples, zero failures.
@Suite("OpenAPI conformance (schemathesis)")
struct SchemathesisTests {
    typealias Support = RESTTestSupport

    /// `.venv-schemathesis` next to the package (scripts/test-deps.d/70-rest.sh).
    static var executable: URL {
        Support.packageRoot.appendingPathComponent(".venv-schemathesis/bin/st")
    }

    /// The settings. A config can be schema-valid and still invalid: CIDR arithmetic, cross-field
    /// rules, the deployment name matching project.name-project.environment and references-only
    /// secrets are the validator's (422 with every problem); saved plans, confirmations and busy
    /// deployments are state, not shape (404, 409, 422). Schema-valid input must still never get 400,
    /// 413, 415 or a 5xx. Run ids are pinned to a real run so the run routes are exercised.
    static func settings(runID: String) -> String {
        """
        [checks.positive_data_acceptance]
        expected-statuses = ["2xx", 401, 403, 404, 409, 422]

        [parameters]
        "path.id" = "\(runID)"
        """
    }

    @Test("Zero server errors and zero responses that do not match the document")
    func conformance() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable.path) else {
            Issue.record("schemathesis is not installed at \(Self.executable.path): run scripts/install-test-deps.sh")
            return
        }
        let work = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let packer = try TerraformTooling.fakePacker(in: work, sleepSeconds: 0)
        // AWS is the moto fixture, where the example deployment's fleet exists (status, rollout record,
        // rollout and rollback runs answer from it).
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        _ = try await moto.server.control(
            "/_fixture/deployment",
            [
                "region": "us-east-1", "launchTemplate": "s3-gateway-prod-lt", "targetGroup": "s3-gateway-prod-tg",
                "autoScalingGroup": "s3-gateway-prod-asg", "instances": 2,
            ])
        let environment = try TerraformTooling.environment(
            bin: work, home: work,
            extra: [
                "GW_PACKER": packer.path, "AWS_ENDPOINT_URL": moto.server.url,
                "AWS_ACCESS_KEY_ID": moto.accessKey, "AWS_SECRET_ACCESS_KEY": moto.secretKey,
            ])
        // Runs schemathesis starts (a rollout polling every hour) are cancelled soon after the end.
        let server = try await LiveServer.start(
            bundle: TerraformTestProject(nodes: 1).bundle, environment: environment, shutdownDeadline: .seconds(2))
        do {
            // The document's example deployment exists and has a finished run.
            let example = try String(contentsOf: Support.packageRoot.appendingPathComponent("Examples/gateway.yaml"), encoding: .utf8)
            let put = try await Curl.request("PUT", "\(server.baseURL)/v1/deployments/s3-gateway-prod", contentType: "application/yaml", body: example)
            #expect(put.status == 201, "\(put.text)")
            let started = try await Curl.request("POST", "\(server.baseURL)/v1/deployments/s3-gateway-prod/runs", contentType: "application/json", body: #"{"action": "plan"}"#)
            let runID = try #require(try started.json()["id"] as? String, "\(started.text)")
            _ = try await Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(runID)/events").finished()

            let settings = work.appendingPathComponent("schemathesis.toml")
            try Self.settings(runID: runID).write(to: settings, atomically: true, encoding: .utf8)
            let output = work.appendingPathComponent("schemathesis.log")
            let seed = ProcessInfo.processInfo.environment["GW_SCHEMATHESIS_SEED"] ?? "20261127"
            let examples = ProcessInfo.processInfo.environment["GW_SCHEMATHESIS_EXAMPLES"] ?? "12"
            let status = try await Self.run(
                [
                    "--config-file", settings.path, "--no-color", "run", "\(server.baseURL)/openapi.json",
                    "-H", "Authorization: Bearer \(Support.token)", "--checks", "all",
                    // One worker: CPython 3.11's ast.parse is not thread-safe ("AST constructor recursion
                    // depth mismatch"), and hypothesis parses lambdas with it while generating.
                    "--max-examples", examples, "--seed", seed, "--workers", "1", "--request-timeout", "60",
                ],
                workingDirectory: work, output: output)
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            #expect(status == 0, "schemathesis found problems:\n\(text.suffix(6000))")
            #expect(text.contains("Tested: 16"), "not every operation was tested:\n\(text.suffix(2000))")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// Runs schemathesis with its output in a file; its exit status.
    static func run(_ arguments: [String], workingDirectory: URL, output: URL) async throws -> Int32 {
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = workingDirectory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: output)
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}
