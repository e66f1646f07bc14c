import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import GatewayREST

@Suite("POST /v1/validate")
struct ValidationRouteTests {
    typealias Support = RESTTestSupport

    private func headers(_ contentType: String) -> HTTPFields {
        var headers = Support.authorization
        headers[.contentType] = contentType
        return headers
    }

    @Test("A valid YAML config: valid, no errors")
    func validYAML() async throws {
        try await Support.withRouterClient { client in
            try await client.execute(uri: "/v1/validate", method: .post, headers: headers("application/yaml"), body: Support.buffer(Support.validYAML())) { response in
                #expect(response.status == .ok)
                let body = try Support.json(response)
                #expect(body["valid"] as? Bool == true)
                #expect(body["errors"] as? Int == 0)
            }
        }
    }

    @Test("An invalid JSON config: every problem with its path, same objects as gw-cli validate --json")
    func invalidJSON() async throws {
        let json = #"{"project": {"name": "s3-gateway", "environment": "prod", "region": "mars-1"}, "network": {"vpcCidr": "10.0.0.0/33"}, "bogus": 1}"#
        try await Support.withRouterClient { client in
            try await client.execute(uri: "/v1/validate", method: .post, headers: headers("application/json; charset=utf-8"), body: Support.buffer(json)) { response in
                #expect(response.status == .ok)
                let body = try Support.json(response)
                #expect(body["valid"] as? Bool == false)
                let problems = try #require(body["problems"] as? [[String: Any]])
                let paths = Set(problems.compactMap { $0["path"] as? String })
                #expect(paths.contains("bogus"))
                #expect(paths.contains("project.region"))
                for problem in problems {
                    #expect(Set(problem.keys) == ["path", "line", "column", "severity", "message", "hint"])
                }
            }
        }
    }

    @Test("YAML sent as JSON is a problem, not a crash; broken YAML lists a syntax problem with its line")
    func malformedBodies() async throws {
        try await Support.withRouterClient { client in
            try await client.execute(uri: "/v1/validate", method: .post, headers: headers("application/json"), body: Support.buffer(Support.validYAML())) { response in
                let body = try Support.json(response)
                #expect(body["valid"] as? Bool == false)
                let problems = try #require(body["problems"] as? [[String: Any]])
                #expect((problems.first?["message"] as? String)?.contains("not valid JSON") == true)
            }
            try await client.execute(uri: "/v1/validate", method: .post, headers: headers("text/yaml"), body: Support.buffer("project: {name: [unclosed\n")) { response in
                let body = try Support.json(response)
                #expect(body["valid"] as? Bool == false)
                let problems = try #require(body["problems"] as? [[String: Any]])
                #expect(problems.first?["line"] as? Int != nil)
            }
            for text in ["", "\u{0}\u{1}", "[1,2]", "42", String(repeating: "[", count: 5000)] {
                try await client.execute(uri: "/v1/validate", method: .post, headers: headers("application/yaml"), body: Support.buffer(text)) { response in
                    #expect(response.status == .ok)
                    let body = try Support.json(response)
                    #expect(body["valid"] as? Bool == false)
                }
            }
        }
    }

    @Test("Content types other than JSON and YAML are 415")
    func unsupportedMediaType() async throws {
        try await Support.withRouterClient { client in
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"] {
                try await client.execute(uri: "/v1/validate", method: .post, headers: headers(contentType), body: Support.buffer("{}")) { response in
                    try Support.expectProblem(response, "unsupported-media-type", status: .unsupportedMediaType)
                }
            }
            try await client.execute(uri: "/v1/validate", method: .post, headers: Support.authorization, body: Support.buffer("{}")) { response in
                try Support.expectProblem(response, "unsupported-media-type", status: .unsupportedMediaType)
            }
        }
    }

    @Test("A config may not reference the server's own GW_REST_ variables")
    func reservedEnvironment() async throws {
        let yaml = Support.validYAML().replacingOccurrences(of: "env:S3_SECRET", with: "env:GW_REST_TOKEN")
        try await Support.withRouterClient { client in
            try await client.execute(uri: "/v1/validate", method: .post, headers: headers("application/yaml"), body: Support.buffer(yaml)) { response in
                let body = try Support.json(response)
                #expect(body["valid"] as? Bool == false)
                let problems = try #require(body["problems"] as? [[String: Any]])
                #expect(problems.contains { $0["path"] as? String == "gateway.rootSecretKey" && ($0["message"] as? String)?.contains("GW_REST_TOKEN") == true })
            }
        }
    }
}
