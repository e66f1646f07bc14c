import Foundation
import GatewayCore
import GatewayProvision
import Testing

@testable import GatewayREST

/// Stores a config whose secrets resolve to known values on the server, runs a plan and an apply
/// whose terraform prints those values, and scans everything the server emitted: every response,
/// every event, every log line, every file of the workspace.
@Suite("No secret value leaves the server")
struct SecretExposureTests {
    typealias Support = RESTTestSupport

    @Test("Responses, events, logs and workspace files never hold a secret value")
    func secretsNeverLeak() async throws {
        let work = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let secrets = [
            "GWT_AWS_KEY": "AKIAGWTESTKEY7Q3Z9XYZ",
            "GWT_AWS_SECRET": "aws-secret-5f8e2d1c9b7a6e4f3d2c1b0a",
            "GWT_S3_KEY": "s3-root-access-key-71c4",
            "GWT_S3_SECRET": "s3-root-secret-9d0e3f6a2b5c8d1e",
        ]
        let passwordFile = work.appendingPathComponent("lucidlink-password")
        let password = "lucid-password-4a7b2c9d"
        try Data(password.utf8).write(to: passwordFile)
        let values = Array(secrets.values) + [password]
        let bin = work.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let environment = try TerraformTooling.environment(bin: bin, home: work, extra: secrets)
        let project = TerraformTestProject(nodes: 1, echoSecretsFrom: passwordFile.path)
        let server = try await LiveServer.start(bundle: project.bundle, environment: environment)
        var emitted: [String] = []
        do {
            let name = "s\(UUID().uuidString.prefix(6).lowercased())"
            let deployment = "\(name)-test"
            let config = """
                {"project": {"name": "\(name)", "environment": "test", "region": "us-east-1"},
                 "aws": {"accessKeyId": "env:GWT_AWS_KEY", "secretAccessKey": "env:GWT_AWS_SECRET"},
                 "compute": {"amiId": "ami-0123456789abcdef0"}, "dns": {"zoneName": "example.com"},
                 "filespaces": [{"name": "fs.dmpfs", "user": "u@example.com", "password": "file:\(passwordFile.path)"}],
                 "gateway": {"rootAccessKey": "env:GWT_S3_KEY", "rootSecretKey": "env:GWT_S3_SECRET"},
                 "image": {"lucidLinkVersion": "3.2.6817", "lucidLinkSha256": "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0"}}
                """
            func record(_ response: Curl.Response) -> Curl.Response {
                emitted.append(response.text)
                emitted.append(response.headers.map { "\($0.key): \($0.value)" }.joined(separator: "\n"))
                return response
            }
            let base = "\(server.baseURL)/v1"
            #expect(record(try await Curl.request("POST", "\(base)/validate", contentType: "application/json", body: config)).status == 200)
            #expect(record(try await Curl.request("PUT", "\(base)/deployments/\(deployment)", contentType: "application/json", body: config)).status == 201)
            #expect(record(try await Curl.request("GET", "\(base)/deployments/\(deployment)")).status == 200)
            #expect(record(try await Curl.request("GET", "\(base)/deployments")).status == 200)
            #expect(record(try await Curl.request("POST", "\(base)/deployments/\(deployment)/render")).status == 200)
            var allEvents: [Curl.Event] = []
            for body in [#"{"action": "plan"}"#, #"{"action": "apply", "autoApprove": true}"#] {
                let started = record(try await Curl.request("POST", "\(base)/deployments/\(deployment)/runs", contentType: "application/json", body: body))
                #expect(started.status == 202, "\(started.text)")
                let id = try #require(try started.json()["id"] as? String)
                let stream = try Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(id)/events")
                let (events, text) = try await stream.finishedWithText()
                emitted.append(text)
                allEvents += events
                #expect(events.last?.type == "run_finished" && events.last?.data.contains("\"status\":\"succeeded\"") == true, "\(events.last?.data ?? "no events")")
                #expect(record(try await Curl.request("GET", "\(base)/runs/\(id)")).status == 200)
            }
            #expect(record(try await Curl.request("GET", "\(base)/deployments/\(deployment)/runs")).status == 200)
            #expect(record(try await Curl.request("GET", "\(base)/deployments/\(deployment)/outputs")).status == 200)

            // The provisioner did print the secrets: the lines are there, with the values removed.
            let printed = allEvents.map(\.data).filter { $0.contains("aws secret: ") || $0.contains("password: ") }
            #expect(printed.count >= 2, "terraform's provisioner output is missing; the test would prove nothing")
        } catch {
            await server.stop()
            throw error
        }
        await server.shutDown()
        emitted += server.logs.all
        #expect(server.logs.all.contains { $0.contains("request") })
        // Every file of the workspace root: config, records, event logs, state, bundle.
        if let files = FileManager.default.enumerator(at: server.root, includingPropertiesForKeys: nil) {
            for case let url as URL in files where !url.path.contains("/terraform-data/") {
                if let data = try? Data(contentsOf: url) { emitted.append(String(decoding: data, as: UTF8.self)) }
            }
        }
        try? FileManager.default.removeItem(at: server.root)
        #expect(emitted.count > 20)
        for value in values {
            let leaks = emitted.filter { $0.contains(value) }
            #expect(leaks.isEmpty, "secret value \(value.prefix(6))… found in: \(leaks.map { String($0.prefix(300)) })")
        }
    }
}
