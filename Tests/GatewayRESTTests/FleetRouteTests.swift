import Foundation
import GatewayCore
import GatewayProvision
import Testing

@testable import GatewayREST

/// The fleet in AWS through the API: status, rollout and rollback runs followed over SSE, the rollout
/// record, a cancelled rollout that cancels its instance refresh, all against the moto fixture
/// (signature checking on, instance refreshes simulated by the fixture).
@Suite("Fleet status, rollout and rollback runs against moto")
struct FleetRouteTests {
    typealias Support = RESTTestSupport

    /// A config for deployment `<name>-test` in the fixture's region, AWS keys as references.
    static func config(name: String, region: String, autoRollback: Bool = true) -> String {
        Support.validYAML(name: name, environment: "test").replacingOccurrences(of: "region: us-east-1", with: "region: \(region)") + """

            aws: {accessKeyId: "env:TEST_AWS_KEY", secretAccessKey: "env:TEST_AWS_SECRET"}
            rollout: {autoRollback: \(autoRollback), checkpoints: [50, 100]}
            """
    }

    /// Creates the deployment's group, launch template, target group and instances in moto, the way
    /// an apply would have; returns the two AMIs the fixture registered (running, new).
    static func createFleet(_ moto: MotoAWS, deployment: String, scenario: String) async throws -> (String, String) {
        let answer =
            try await moto.server.control(
                "/_fixture/deployment",
                [
                    "region": moto.region, "launchTemplate": "\(deployment)-lt", "targetGroup": "\(deployment)-tg",
                    "autoScalingGroup": "\(deployment)-asg", "instances": 2,
                ]) as? [String: Any]
        _ = try await moto.server.control("/_fixture/refresh-scenario", ["group": "\(deployment)-asg", "scenario": scenario])
        let images = try #require(answer?["imageIds"] as? [String])
        return (images[0], images[1])
    }

    static func startRun(_ server: LiveServer, _ deployment: String, _ body: String) async throws -> String {
        let response = try await Curl.request("POST", "\(server.baseURL)/v1/deployments/\(deployment)/runs", contentType: "application/json", body: body)
        #expect(response.status == 202, "\(response.text)")
        return try #require(try response.json()["id"] as? String)
    }

    @Test("status, a rollout followed over SSE, the rollout record, a rollback; a cancelled rollout cancels its refresh")
    func rolloutThroughTheAPI() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        let work = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let environment = try TerraformTooling.environment(
            bin: work, home: work,
            extra: [
                "AWS_ENDPOINT_URL": moto.server.url, "TEST_AWS_KEY": moto.accessKey, "TEST_AWS_SECRET": moto.secretKey,
            ])
        let server = try await LiveServer.start(bundle: TerraformTestProject(nodes: 1).bundle, environment: environment)
        do {
            try await rolloutAndRollback(server, moto)
            try await cancelledRollout(server, moto)
            try await errors(server, moto)
        } catch {
            await server.shutDown()
            throw error
        }
        await server.shutDown()
        // The AWS secret key reached the server only through its environment: no log line or file has it.
        var emitted = server.logs.all
        if let files = FileManager.default.enumerator(at: server.root, includingPropertiesForKeys: nil) {
            for case let url as URL in files where !url.path.contains("/terraform-data/") {
                if let data = try? Data(contentsOf: url) { emitted.append(String(decoding: data, as: UTF8.self)) }
            }
        }
        try? FileManager.default.removeItem(at: server.root)
        #expect(emitted.count > 10)
        #expect(emitted.allSatisfy { !$0.contains(moto.secretKey) })
    }

    func rolloutAndRollback(_ server: LiveServer, _ moto: MotoAWS) async throws {
        let deployment = "fleet-test"
        let (old, new) = try await Self.createFleet(moto, deployment: deployment, scenario: "success")
        let put = try await Curl.request(
            "PUT", "\(server.baseURL)/v1/deployments/\(deployment)", contentType: "application/yaml",
            body: Self.config(name: "fleet", region: moto.region))
        #expect(put.status == 201, "\(put.text)")

        let before = try await Curl.request("GET", "\(server.baseURL)/v1/deployments/\(deployment)/status")
        #expect(before.status == 200, "\(before.text)")
        let status = try before.json()
        #expect(status["autoScalingGroup"] as? String == "fleet-test-asg")
        #expect(status["desiredCapacity"] as? Int == 2 && status["inService"] as? Int == 2 && status["healthyTargets"] as? Int == 2)
        #expect(status["runningImages"] as? [String] == [old])
        #expect(status["refreshInProgress"] as? Bool == false)
        let instances = try #require(status["instances"] as? [[String: Any]])
        #expect(instances.count == 2 && instances.allSatisfy { $0["targetHealth"] as? String == "healthy" && $0["imageId"] as? String == old })

        let runID = try await Self.startRun(server, deployment, #"{"action": "rollout", "amiId": "\#(new)", "pollSeconds": 1, "minHealthy": 50}"#)
        let events = try await Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(runID)/events").finished()
        #expect(events.last?.type == "run_finished")
        #expect(try events.last?.json()["status"] as? String == "succeeded", "\(events.map(\.data))")
        let kinds = try events.filter { $0.type == "rollout" }.compactMap { try ($0.json()["rollout"] as? [String: Any])?["kind"] as? String }
        #expect(kinds.first == "launch-template-version-created")
        #expect(kinds.contains("refresh-started") && kinds.contains("progress"))
        let run = try await Curl.request("GET", "\(server.baseURL)/v1/runs/\(runID)").json()
        #expect(run["action"] as? String == "rollout" && run["amiId"] as? String == new && run["refreshId"] is String)
        let outcome = try #require(run["rollout"] as? [String: Any])
        #expect(outcome["outcome"] as? String == "succeeded" && outcome["imageId"] as? String == new && outcome["launchTemplateVersion"] as? String == "2")

        let record = try await Curl.request("GET", "\(server.baseURL)/v1/deployments/\(deployment)/rollout").json()
        #expect((record["current"] as? [String: Any])?["imageId"] as? String == new)
        #expect((record["previous"] as? [String: Any])?["imageId"] as? String == old)
        #expect((record["latestRefresh"] as? [String: Any])?["status"] as? String == "Successful")
        #expect((record["history"] as? [[String: Any]])?.compactMap { $0["outcome"] as? String } == ["started", "succeeded"])
        let after = try await Curl.request("GET", "\(server.baseURL)/v1/deployments/\(deployment)/status").json()
        #expect(after["launchTemplateVersion"] as? String == "2")

        // A plan now deploys the AMI the fleet was rolled out to, not the config's: it never undoes a rollout.
        let planID = try await Self.startRun(server, deployment, #"{"action": "plan"}"#)
        _ = try await Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(planID)/events").finished()
        let plan = try await Curl.request("GET", "\(server.baseURL)/v1/runs/\(planID)").json()
        #expect(plan["amiId"] as? String == new && (plan["amiSource"] as? String)?.hasPrefix("rollout") == true, "\(plan)")

        let rollbackID = try await Self.startRun(server, deployment, #"{"action": "rollback", "pollSeconds": 1}"#)
        let rollbackEvents = try await Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(rollbackID)/events").finished()
        #expect(try rollbackEvents.last?.json()["status"] as? String == "succeeded", "\(rollbackEvents.map(\.data))")
        let rolledBack = try await Curl.request("GET", "\(server.baseURL)/v1/runs/\(rollbackID)").json()
        #expect(rolledBack["amiId"] as? String == old)
        let runs = try await Curl.request("GET", "\(server.baseURL)/v1/deployments/\(deployment)/runs").json()
        #expect((runs["runs"] as? [[String: Any]])?.compactMap { $0["action"] as? String } == ["rollout", "plan", "rollback"])
    }

    func cancelledRollout(_ server: LiveServer, _ moto: MotoAWS) async throws {
        let deployment = "stuck-test"
        // Unhealthy targets and no automatic rollback: the refresh stays in progress until cancelled.
        let (_, new) = try await Self.createFleet(moto, deployment: deployment, scenario: "unhealthy")
        let put = try await Curl.request(
            "PUT", "\(server.baseURL)/v1/deployments/\(deployment)", contentType: "application/yaml",
            body: Self.config(name: "stuck", region: moto.region, autoRollback: false))
        #expect(put.status == 201, "\(put.text)")
        let runID = try await Self.startRun(server, deployment, #"{"action": "rollout", "amiId": "\#(new)", "pollSeconds": 1}"#)
        let stream = try Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(runID)/events")
        let belowBar = await stream.waitFor { event in
            event.type == "rollout" && ((try? event.json()["rollout"] as? [String: Any])?["kind"] as? String) == "health-below-bar"
        }
        #expect(belowBar, "\(stream.events.map(\.data))")
        let cancel = try await Curl.request("POST", "\(server.baseURL)/v1/runs/\(runID)/cancel")
        #expect(cancel.status == 202, "\(cancel.text)")
        let events = try await stream.finished()
        let last = try #require(events.last).json()
        #expect(last["status"] as? String == "canceled")
        #expect((last["message"] as? String)?.contains("cancelled in AWS") == true, "\(last)")
        let calls = try #require(try await moto.server.control("/_fixture/calls", [:]) as? [[String]])
        #expect(calls.contains(["CancelInstanceRefresh", "stuck-test-asg"]))
        let record = try await Curl.request("GET", "\(server.baseURL)/v1/deployments/\(deployment)/rollout").json()
        #expect(["Cancelling", "Cancelled"].contains((record["latestRefresh"] as? [String: Any])?["status"] as? String ?? ""))
        #expect((record["history"] as? [[String: Any]])?.last?["action"] as? String == "cancel")
    }

    func errors(_ server: LiveServer, _ moto: MotoAWS) async throws {
        // Stored, but never applied: its group does not exist in AWS.
        let put = try await Curl.request(
            "PUT", "\(server.baseURL)/v1/deployments/ghost-test", contentType: "application/yaml",
            body: Self.config(name: "ghost", region: moto.region))
        #expect(put.status == 201, "\(put.text)")
        for path in ["status", "rollout"] {
            let missing = try await Curl.request("GET", "\(server.baseURL)/v1/deployments/ghost-test/\(path)")
            #expect(missing.status == 409, "\(missing.text)")
            #expect(try missing.json()["type"] as? String == "urn:gateway:problem:not-deployed")
        }
        let unknown = try await Curl.request("GET", "\(server.baseURL)/v1/deployments/nobody-test/status")
        #expect(unknown.status == 404)

        let bad: [(String, String)] = [
            (#"{"action": "rollout"}"#, "amiId"),
            (#"{"action": "rollout", "amiId": "ami-0123456789abcdef0", "planRun": "20261127T095018Z-3fa2c1"}"#, "planRun"),
            (#"{"action": "rollout", "amiId": "ami-0123456789abcdef0", "checkpoints": [50, 50]}"#, "checkpoints"),
            (#"{"action": "rollout", "amiId": "ami-0123456789abcdef0", "checkpoints": [0, 100]}"#, "checkpoints"),
            (#"{"action": "rollout", "amiId": "ami-0123456789abcdef0", "minHealthy": 101}"#, "minHealthy"),
            (#"{"action": "rollout", "amiId": "ami-0123456789abcdef0", "pollSeconds": 0}"#, "pollSeconds"),
            (#"{"action": "rollback", "amiId": "ami-0123456789abcdef0"}"#, "amiId"),
            (#"{"action": "plan", "minHealthy": 50}"#, "minHealthy"),
        ]
        for (body, named) in bad {
            let response = try await Curl.request("POST", "\(server.baseURL)/v1/deployments/ghost-test/runs", contentType: "application/json", body: body)
            #expect(response.status == 400, "\(body): \(response.text)")
            #expect((try response.json()["detail"] as? String)?.contains(named) == true, "\(body): \(response.text)")
        }
        // A rollout of a deployment that does not exist in AWS is a run that fails and says why.
        let runID = try await Self.startRun(server, "ghost-test", #"{"action": "rollout", "amiId": "ami-0123456789abcdef0", "pollSeconds": 1}"#)
        let events = try await Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(runID)/events").finished()
        let last = try #require(events.last).json()
        #expect(last["status"] as? String == "failed")
        #expect((last["message"] as? String)?.contains("ghost-test-asg does not exist") == true, "\(last)")
    }
}
