import Foundation
import GatewayCore
import GatewayProvision
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import GatewayREST

@Suite("Deployments resource")
struct DeploymentRouteTests {
    typealias Support = RESTTestSupport

    @Test("PUT creates (201, Location), GET shows references only, list includes it, PUT again replaces (200)")
    func createReadReplace() async throws {
        try await Support.withRouterClient { client in
            let yaml = Support.validYAML(name: "alpha", environment: "prod")
            try await client.execute(uri: "/v1/deployments/alpha-prod", method: .put, headers: Support.headers("application/yaml"), body: Support.buffer(yaml)) { response in
                #expect(response.status == .created)
                #expect(response.headers[.location] == "/v1/deployments/alpha-prod")
                let body = try Support.json(response)
                #expect(body["name"] as? String == "alpha-prod")
                #expect(body["configured"] as? Bool == true)
                Support.expectSecurityHeaders(response)
            }
            try await client.execute(uri: "/v1/deployments/alpha-prod", method: .get, headers: Support.authorization) { response in
                #expect(response.status == .ok)
                let body = try Support.json(response)
                let config = try #require(body["config"] as? [String: Any])
                let filespaces = try #require(config["filespaces"] as? [[String: Any]])
                #expect(filespaces.first?["password"] as? String == "env:LL_PASSWORD")
                let gateway = try #require(config["gateway"] as? [String: Any])
                #expect(gateway["rootSecretKey"] as? String == "env:S3_SECRET")
                #expect(body["runningRun"] == nil)
            }
            try await client.execute(uri: "/v1/deployments", method: .get, headers: Support.authorization) { response in
                let body = try Support.json(response)
                let list = try #require(body["deployments"] as? [[String: Any]])
                #expect(list.map { $0["name"] as? String } == ["alpha-prod"])
                #expect(list.first?["config"] == nil)
            }
            let json =
                #"{"project": {"name": "alpha", "environment": "prod", "region": "eu-west-1"}, "compute": {"amiId": "ami-0123456789abcdef0"}, "dns": {"zoneName": "example.org"}, "filespaces": [{"name": "fs.dmpfs", "user": "u@example.org", "password": "file:/run/secrets/ll"}], "gateway": {"rootAccessKey": "env:K", "rootSecretKey": "ssm:/gw/secret"}, "image": {"lucidLinkVersion": "3.2.6817", "lucidLinkSha256": "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0"}}"#
            try await client.execute(uri: "/v1/deployments/alpha-prod", method: .put, headers: Support.headers("application/json"), body: Support.buffer(json)) { response in
                #expect(response.status == .ok)
                let body = try Support.json(response)
                let config = try #require(body["config"] as? [String: Any])
                #expect((config["project"] as? [String: Any])?["region"] as? String == "eu-west-1")
            }
        }
    }

    @Test("An invalid config is 422 with every problem, and nothing is stored")
    func invalidConfig() async throws {
        try await Support.withRouterClient { client in
            let yaml = Support.validYAML(name: "beta", environment: "prod") + "\nnetwork: {vpcCidr: 10.0.0.0/40}\nbogus: true\n"
            try await client.execute(uri: "/v1/deployments/beta-prod", method: .put, headers: Support.headers("application/yaml"), body: Support.buffer(yaml)) { response in
                let body = try Support.expectProblem(response, "invalid-config", status: .unprocessableContent)
                let problems = try #require(body["problems"] as? [[String: Any]])
                let paths = Set(problems.compactMap { $0["path"] as? String })
                #expect(paths.contains("bogus"))
                #expect(paths.contains("network.vpcCidr"))
            }
            try await client.execute(uri: "/v1/deployments/beta-prod", method: .get, headers: Support.authorization) { response in
                try Support.expectProblem(response, "not-found", status: .notFound)
            }
        }
    }

    @Test("The URL name must be the config's project-environment")
    func nameMismatch() async throws {
        try await Support.withRouterClient { client in
            try await client.execute(uri: "/v1/deployments/other-prod", method: .put, headers: Support.headers("application/yaml"), body: Support.buffer(Support.validYAML(name: "gamma"))) {
                response in
                let body = try Support.expectProblem(response, "invalid-config", status: .unprocessableContent)
                let problems = try #require(body["problems"] as? [[String: Any]])
                #expect(problems.contains { $0["path"] as? String == "project.name" && ($0["message"] as? String)?.contains("gamma-prod") == true })
            }
        }
    }

    @Test("Literal secret values are refused and never echoed")
    func literalSecretsRefused() async throws {
        let password = "Lucid-Password-7f3a9c"
        let secretKey = "S3-Secret-Key-1b2c3d4e5f"
        let yaml = Support.validYAML(name: "delta").replacingOccurrences(of: "env:LL_PASSWORD", with: password).replacingOccurrences(of: "env:S3_SECRET", with: secretKey)
        try await Support.withRouterClient { client in
            for contentType in ["application/yaml"] {
                try await client.execute(uri: "/v1/deployments/delta-prod", method: .put, headers: Support.headers(contentType), body: Support.buffer(yaml)) { response in
                    let body = try Support.expectProblem(response, "invalid-config", status: .unprocessableContent)
                    let problems = try #require(body["problems"] as? [[String: Any]])
                    let paths = Set(problems.compactMap { $0["path"] as? String })
                    #expect(paths.isSuperset(of: ["filespaces[0].password", "gateway.rootSecretKey"]))
                    let text = String(buffer: response.body)
                    #expect(!text.contains(password))
                    #expect(!text.contains(secretKey))
                }
            }
            try await client.execute(uri: "/v1/validate", method: .post, headers: Support.headers("application/yaml"), body: Support.buffer(yaml)) { response in
                let text = String(buffer: response.body)
                #expect(!text.contains(password))
                #expect(!text.contains(secretKey))
            }
        }
    }

    @Test("Bad names: PUT is 400, GET and DELETE are 404")
    func badNames() async throws {
        try await Support.withRouterClient { client in
            for name in ["UPPER", "-dash", "a_b", String(repeating: "a", count: 65), "%2e%2e", "..", "a.b"] {
                try await client.execute(uri: "/v1/deployments/\(name)", method: .put, headers: Support.headers("application/yaml"), body: Support.buffer(Support.validYAML())) { response in
                    #expect(response.status == .badRequest || response.status == .notFound, "\(name)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                }
                try await client.execute(uri: "/v1/deployments/\(name)", method: .get, headers: Support.authorization) { response in
                    try Support.expectProblem(response, "not-found", status: .notFound)
                }
                try await client.execute(uri: "/v1/deployments/\(name)", method: .delete, headers: Support.authorization) { response in
                    try Support.expectProblem(response, "not-found", status: .notFound)
                }
            }
            try await client.execute(uri: "/v1/deployments/nobody-here", method: .get, headers: Support.authorization) { response in
                try Support.expectProblem(response, "not-found", status: .notFound)
            }
        }
    }

    @Test("DELETE archives a deployment without resources (204); then it is gone")
    func deleteWithoutResources() async throws {
        try await Support.withRouterClient { client, root in
            try await client.execute(uri: "/v1/deployments/eps-prod", method: .put, headers: Support.headers("application/yaml"), body: Support.buffer(Support.validYAML(name: "eps"))) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/deployments/eps-prod", method: .delete, headers: Support.authorization) { response in
                #expect(response.status == .noContent)
                Support.expectSecurityHeaders(response)
            }
            try await client.execute(uri: "/v1/deployments/eps-prod", method: .get, headers: Support.authorization) { response in
                try Support.expectProblem(response, "not-found", status: .notFound)
            }
            let archived = try FileManager.default.contentsOfDirectory(atPath: root.archiveDirectory.path)
            #expect(archived.count == 1 && archived[0].hasPrefix("eps-prod-"))
        }
    }

    @Test("POST render summarizes the bundle of the stored config; 409 without one")
    func render() async throws {
        try await Support.withRouterClient { client, root in
            try await client.execute(uri: "/v1/deployments/zeta-prod", method: .put, headers: Support.headers("application/yaml"), body: Support.buffer(Support.validYAML(name: "zeta"))) { response in
                #expect(response.status == .created)
            }
            try await client.execute(uri: "/v1/deployments/zeta-prod/render", method: .post, headers: Support.authorization) { response in
                #expect(response.status == .ok)
                let body = try Support.json(response)
                #expect(body["deployment"] as? String == "zeta-prod")
                let files = try #require(body["files"] as? [[String: Any]])
                let paths = files.compactMap { $0["path"] as? String }
                #expect(paths.contains { $0.hasPrefix("terraform/") && $0.hasSuffix(".tf") })
                #expect(paths.contains { $0.hasPrefix("packer/") })
                #expect((body["resourceCount"] as? Int ?? 0) > 0)
            }
            // A workspace made by gw-cli has no stored config.
            _ = try root.deployment(named: "cli-made")
            try await client.execute(uri: "/v1/deployments/cli-made/render", method: .post, headers: Support.authorization) { response in
                try Support.expectProblem(response, "not-configured", status: .conflict)
            }
            try await client.execute(uri: "/v1/deployments/cli-made/outputs", method: .get, headers: Support.authorization) { response in
                try Support.expectProblem(response, "not-configured", status: .conflict)
            }
            try await client.execute(uri: "/v1/deployments/cli-made", method: .get, headers: Support.authorization) { response in
                let body = try Support.json(response)
                #expect(body["configured"] as? Bool == false)
                #expect(body["config"] == nil)
            }
        }
    }

    @Test("Run requests: options must fit the action; only JSON; unknown members refused")
    func runRequestValidation() async throws {
        try await Support.withRouterClient { client, root in
            try await client.execute(uri: "/v1/deployments/eta-prod", method: .put, headers: Support.headers("application/yaml"), body: Support.buffer(Support.validYAML(name: "eta"))) { response in
                #expect(response.status == .created)
            }
            let bad = [
                #"{}"#,
                #"{"action": "shell", "command": "rm -rf /"}"#,
                #"{"action": "plan", "command": "id"}"#,
                #"{"action": "apply"}"#,
                #"{"action": "apply", "autoApprove": false}"#,
                #"{"action": "apply", "planRun": "20261127T095018Z-3fa2c1", "autoApprove": true}"#,
                #"{"action": "apply", "planRun": "../../etc"}"#,
                #"{"action": "destroy"}"#,
                #"{"action": "plan", "amiId": "ami-XYZ"}"#,
                #"{"action": "ami-build", "autoApprove": true}"#,
                #"{"action": "plan", "nodeBinary": "/usr/local/bin/gw-cli"}"#,
                #"{"action": "ami-build", "nodeBinary": "relative/gw-cli"}"#,
                #"{"action": "apply", "autoApprove": true, "amiId": null}"#,
                #"["plan"]"#,
                #"not json"#,
            ]
            for body in bad {
                try await client.execute(uri: "/v1/deployments/eta-prod/runs", method: .post, headers: Support.headers("application/json"), body: Support.buffer(body)) { response in
                    try Support.expectProblem(response, "malformed-request", status: .badRequest)
                }
            }
            try await client.execute(
                uri: "/v1/deployments/eta-prod/runs", method: .post, headers: Support.headers("application/json"), body: Support.buffer(#"{"action": "destroy", "confirm": "other"}"#)
            ) { response in
                try Support.expectProblem(response, "confirmation-mismatch", status: .unprocessableContent)
            }
            // Applied with deletion protection on (what AWS has): no destroy, reviewed or not, starts.
            let applied = try root.existingDeployment(named: "eta-prod").appliedConfigURL
            try ConfigFingerprint(try ConfigLoader.load(text: Support.validYAML(name: "eta")).config).canonicalJSON.write(to: applied)
            for body in [#"{"action": "plan", "destroy": true}"#, #"{"action": "destroy", "autoApprove": true, "confirm": "eta-prod"}"#] {
                try await client.execute(uri: "/v1/deployments/eta-prod/runs", method: .post, headers: Support.headers("application/json"), body: Support.buffer(body)) { response in
                    let problem = try Support.expectProblem(response, "conflict", status: .conflict)
                    #expect((problem["detail"] as? String ?? "").contains("set loadBalancer.deletionProtection to false, apply, then destroy"), "\(problem)")
                }
            }
            try FileManager.default.removeItem(at: applied)
            // A node binary that cannot start on the image is refused before packer: named, and the default (the debug gw-cli) too.
            for body in [#"{"action": "ami-build", "nodeBinary": "/nonexistent/gw-cli"}"#, #"{"action": "ami-build"}"#] {
                try await client.execute(uri: "/v1/deployments/eta-prod/runs", method: .post, headers: Support.headers("application/json"), body: Support.buffer(body)) { response in
                    let problem = try Support.expectProblem(response, "node-binary-refused", status: .unprocessableContent)
                    let detail = problem["detail"] as? String ?? ""
                    #expect(detail.contains("node binary") && detail.contains("scripts/build-node-binary.sh"), "\(detail)")
                }
            }
            try await client.execute(uri: "/v1/deployments/eta-prod/runs", method: .post, headers: Support.headers("text/plain"), body: Support.buffer(#"{"action": "plan"}"#)) { response in
                try Support.expectProblem(response, "unsupported-media-type", status: .unsupportedMediaType)
            }
            try await client.execute(uri: "/v1/deployments/nope-prod/runs", method: .post, headers: Support.headers("application/json"), body: Support.buffer(#"{"action": "plan"}"#)) { response in
                try Support.expectProblem(response, "not-found", status: .notFound)
            }
            _ = try root.deployment(named: "bare")
            try await client.execute(uri: "/v1/deployments/bare/runs", method: .post, headers: Support.headers("application/json"), body: Support.buffer(#"{"action": "plan"}"#)) { response in
                try Support.expectProblem(response, "not-configured", status: .conflict)
            }
            try await client.execute(uri: "/v1/deployments/eta-prod/runs", method: .get, headers: Support.authorization) { response in
                #expect(response.status == .ok)
                let body = try Support.json(response)
                #expect((body["runs"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test("Unknown runs are 404 for read, cancel and events")
    func unknownRuns() async throws {
        try await Support.withRouterClient { client in
            for id in ["20261127T095018Z-3fa2c1", "not-a-run", "..%2F..%2Fetc"] {
                try await client.execute(uri: "/v1/runs/\(id)", method: .get, headers: Support.authorization) { response in
                    try Support.expectProblem(response, "not-found", status: .notFound)
                }
                try await client.execute(uri: "/v1/runs/\(id)/cancel", method: .post, headers: Support.authorization) { response in
                    try Support.expectProblem(response, "not-found", status: .notFound)
                }
                try await client.execute(uri: "/v1/runs/\(id)/events", method: .get, headers: Support.authorization) { response in
                    try Support.expectProblem(response, "not-found", status: .notFound)
                }
            }
        }
    }

    @Test("The OpenAPI document describes every route the router serves")
    func openAPIDescribesEveryRoute() async throws {
        try await Support.withRouterClient { client in
            try await client.execute(uri: "/openapi.json", method: .get, headers: Support.authorization) { response in
                #expect(response.status == .ok)
                let document = try Support.json(response)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                let expected: [String: Set<String>] = [
                    "/healthz": ["get"], "/openapi.json": ["get"], "/v1/validate": ["post"],
                    "/v1/deployments": ["get"], "/v1/deployments/{name}": ["get", "put", "delete"],
                    "/v1/deployments/{name}/render": ["post"], "/v1/deployments/{name}/outputs": ["get"],
                    "/v1/deployments/{name}/runs": ["get", "post"], "/v1/runs/{id}": ["get"],
                    "/v1/runs/{id}/cancel": ["post"], "/v1/runs/{id}/events": ["get"],
                    "/v1/deployments/{name}/status": ["get"], "/v1/deployments/{name}/rollout": ["get"],
                    "/v1/deployments/{name}/check": ["post"],
                ]
                #expect(Set(paths.keys) == Set(expected.keys))
                for (path, methods) in expected {
                    #expect(Set(paths[path]?.keys ?? [:].keys) == methods, "\(path)")
                }
                let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
                // Every $ref points at a schema that exists.
                let text = String(buffer: response.body)
                let refs = text.components(separatedBy: "#/components/schemas/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
                for ref in Set(refs) {
                    #expect(schemas[ref] != nil, "missing schema \(ref)")
                }
            }
            // Every documented operation is routed: none of them answers 404 for a wrong method.
            for path in ["/v1/deployments/x", "/v1/runs/20261127T095018Z-3fa2c1/events"] {
                try await client.execute(uri: path, method: .patch, headers: Support.authorization) { response in
                    #expect(response.status == .methodNotAllowed)
                }
            }
        }
    }
}
