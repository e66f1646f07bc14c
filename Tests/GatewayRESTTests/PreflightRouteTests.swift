import Foundation
import GatewayCore
import Testing

@testable import GatewayREST

/// `POST /v1/deployments/{name}/check` against the moto fixture (signature checking on), with the
/// server's tools and the deployment's AWS keys from the server's environment.
@Suite("Deployment check route against moto")
struct PreflightRouteTests {
    typealias Support = RESTTestSupport

    static func config(name: String, region: String, password: String) -> String {
        Support.validYAML(name: name, environment: "test")
            .replacingOccurrences(of: "region: us-east-1", with: "region: \(region)")
            .replacingOccurrences(of: "compute: {amiId: ami-0123456789abcdef0}", with: "compute: {instanceTypes: [c6id.4xlarge]}")
            .replacingOccurrences(of: "zoneName: example.com", with: "zoneName: \(name).example.com")
            .replacingOccurrences(of: "env:LL_PASSWORD", with: password) + """

                aws: {accessKeyId: "env:TEST_AWS_KEY", secretAccessKey: "env:TEST_AWS_SECRET"}
                """
    }

    @Test("a ready deployment passes, a missing secret fails with its fix, no server path in the answer; unknown deployments are 404")
    func check() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        let work = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let created = try #require(
            try await moto.server.control(
                "/_fixture/preflight",
                [
                    "region": moto.region, "hostedZones": [["name": "restcheck.example.com"]],
                    "parameters": [["name": "/restcheck/ll-password", "type": "SecureString", "value": "rest-ll-secret"]],
                    "images": [["name": "gateway-restcheck", "tags": ["Deployment": "restcheck-test", "ManagedBy": "gw-cli"], "ageDays": 3]],
                ]) as? [String: Any])
        let image = try #require((created["imageIds"] as? [String])?.first)
        let environment = try TerraformTooling.environment(
            bin: work, home: work,
            extra: [
                "AWS_ENDPOINT_URL": moto.server.url, "TEST_AWS_KEY": moto.accessKey, "TEST_AWS_SECRET": moto.secretKey,
                "AWS_EC2_METADATA_DISABLED": "true", "S3_KEY": "ROOTKEY0001", "S3_SECRET": "rest-root-secret",
            ])
        let server = try await LiveServer.start(bundle: TerraformTestProject(nodes: 1).bundle, environment: environment)
        do {
            let put = try await Curl.request(
                "PUT", "\(server.baseURL)/v1/deployments/restcheck-test", contentType: "application/yaml",
                body: Self.config(name: "restcheck", region: moto.region, password: "ssm:/restcheck/ll-password"))
            #expect(put.status == 201, "\(put.text)")
            let ready = try await Curl.request("POST", "\(server.baseURL)/v1/deployments/restcheck-test/check")
            #expect(ready.status == 200, "\(ready.text)")
            let report = try ready.json()
            #expect(report["passed"] as? Bool == true && report["deployment"] as? String == "restcheck-test" && report["region"] as? String == moto.region, "\(ready.text)")
            let checks = try #require(report["checks"] as? [[String: Any]])
            #expect(checks.map { $0["id"] as? String } == ["config", "tools.terraform", "tools.packer", "aws.identity", "dns.hosted-zone", "compute.instance-types", "secrets.ssm", "image"])
            let byID = Dictionary(uniqueKeysWithValues: checks.map { ($0["id"] as? String ?? "", $0) })
            #expect(byID["tools.packer"]?["status"] as? String == "warn")
            #expect((byID["image"]?["found"] as? String)?.hasPrefix("\(image), available, from the newest image tagged Deployment=restcheck-test") == true, "\(ready.text)")
            #expect(checks.allSatisfy { $0["detail"] == nil && $0["title"] is String })
            // Server paths (the tools' locations, the workspace root) stay on the server.
            for local in [work.path, server.root.path, "/usr/"] { #expect(!ready.text.contains(local), "\(ready.text)") }

            let missing = try await Curl.request(
                "PUT", "\(server.baseURL)/v1/deployments/restcheck-test", contentType: "application/yaml",
                body: Self.config(name: "restcheck", region: moto.region, password: "ssm:/restcheck/absent"))
            #expect(missing.status == 200, "\(missing.text)")
            let failing = try await Curl.request("POST", "\(server.baseURL)/v1/deployments/restcheck-test/check")
            #expect(failing.status == 200, "\(failing.text)")
            let failed = try failing.json()
            #expect(failed["passed"] as? Bool == false && failed["summary"] as? String == "6 ok, 1 warning, 1 failed", "\(failing.text)")
            let secrets = try #require((failed["checks"] as? [[String: Any]])?.first { $0["id"] as? String == "secrets.ssm" })
            #expect(secrets["status"] as? String == "fail" && secrets["found"] as? String == "1 of 1 missing: filespaces[0].password (/restcheck/absent)")
            #expect(secrets["fix"] as? String == "create them as SecureString parameters in \(moto.region), or correct the ssm: references")

            let unknown = try await Curl.request("POST", "\(server.baseURL)/v1/deployments/nothere-test/check")
            #expect(unknown.status == 404 && unknown.headers["content-type"] == "application/problem+json", "\(unknown.text)")

            let document = try await Curl.request("GET", "\(server.baseURL)/openapi.json").json()
            let paths = try #require(document["paths"] as? [String: Any])
            let operation = try #require((paths["/v1/deployments/{name}/check"] as? [String: Any])?["post"] as? [String: Any])
            #expect(operation["operationId"] as? String == "checkDeployment")
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            #expect(schemas["PreflightReport"] != nil)
        } catch {
            await server.shutDown()
            throw error
        }
        await server.shutDown()
        let emitted = server.logs.all.joined(separator: "\n")
        for secret in ["rest-ll-secret", "rest-root-secret", moto.secretKey] { #expect(!emitted.contains(secret)) }
    }
}
