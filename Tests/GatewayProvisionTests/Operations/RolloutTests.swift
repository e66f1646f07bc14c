import Foundation
import GatewayCore
import Testing

@testable import GatewayProvision

/// Rollouts against the moto fixture (signature checking on): success, failure, health-triggered rollback,
/// explicit rollback and cancel, each recorded in the workspace.
@Suite("Rollout by instance refresh against moto")
struct RolloutTests {
    /// One moto server (a few seconds of CPU to start) serves every scenario, each on a deployment of
    /// its own, run concurrently.
    @Test("success and rollback, failure, health-triggered rollback, cancel; secrets push and check")
    func rollouts() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        async let success: Void = successAndRollback(moto)
        async let failure: Void = failure(moto)
        async let health: Void = healthRollbackAndCancel(moto)
        async let secrets: Void = SecretsPublisherTests().pushAndCheck(moto)
        _ = try await (success, failure, health, secrets)
    }

    func successAndRollback(_ moto: MotoAWS) async throws {
        let deployment = try await MotoDeployment.create(on: moto, project: "ok")
        defer { deployment.removeWorkspace() }
        let (old, new) = (deployment.images[0], deployment.images[1])
        let controller = try deployment.controller()

        let before = try await FleetStatusReader(clients: try deployment.clients()).read(deployment.config)
        #expect(before.autoScalingGroup == "ok-test-asg" && before.desiredCapacity == 2 && before.inService == 2)
        #expect(before.runningImages == [old] && before.healthyTargets == 2)
        #expect(before.instances.allSatisfy { $0.targetHealth == "healthy" && $0.imageID == old && !$0.availabilityZone.isEmpty })
        #expect(before.latestRefresh == nil && before.refreshInProgress == false)
        #expect(before.newestImage == nil && before.upToDate == nil)

        let events = EventLog()
        let result = try await controller.start(deployment.config, options: deployment.options(new)) { events.append($0) }
        #expect(result.outcome == .succeeded && result.imageID == new && result.launchTemplateVersion == "2")
        #expect(events.all.first == .launchTemplateVersionCreated(version: "2", imageID: new, sourceVersion: "1"))
        #expect(events.all.contains { if case .refreshStarted(_, "2") = $0 { true } else { false } })
        #expect(events.all.contains { if case .progress("InProgress", .some(66), 2, 2, _) = $0 { true } else { false } })

        var record = try deployment.store.load(deployment: "ok-test")
        #expect(record.current?.imageID == new && record.current?.launchTemplateVersion == "2")
        #expect(record.previous?.imageID == old && record.previous?.launchTemplateVersion == "1")
        #expect(record.history.map(\.outcome) == ["started", "succeeded"])
        let status = try await controller.status(deployment.config)
        #expect(status.latestRefresh?.status == "Successful" && status.latestRefresh?.id == result.refreshID)
        let after = try await FleetStatusReader(clients: try deployment.clients()).read(deployment.config)
        #expect(after.launchTemplateVersion == "2" && after.latestRefresh?.status == "Successful")

        let rolledBack = try await controller.rollback(deployment.config, options: deployment.options(new))
        #expect(rolledBack.outcome == .rolledBack && rolledBack.imageID == old && rolledBack.launchTemplateVersion == "1")
        record = try deployment.store.load(deployment: "ok-test")
        #expect(record.current?.imageID == old && record.previous?.imageID == new)
        #expect(record.history.last?.action == "rollback" && record.history.last?.outcome == "rolled-back")

        let unchanged = try await controller.start(deployment.config, options: deployment.options(old))
        #expect(unchanged.outcome == .unchanged)

        let missing = await #expect(throws: OperationError.self) {
            _ = try await controller.start(deployment.config, options: deployment.options("ami-0000000000000dead"))
        }
        #expect(missing?.message.contains("does not exist") == true)
        let malformed = await #expect(throws: ActionProblems.self) {
            _ = try await controller.start(deployment.config, options: deployment.options("image-1"))
        }
        #expect(malformed?.problems.map(\.code) == [.invalidAMIID] && malformed?.problems.first?.option == .amiId)
        let cancelNothing = await #expect(throws: OperationError.self) { _ = try await controller.cancel(deployment.config) }
        #expect(cancelNothing?.message.contains("no instance refresh is in progress") == true)

        let recordText = try String(contentsOf: try deployment.store.file, encoding: .utf8)
        #expect(!recordText.contains(moto.secretKey))
    }

    /// A failing refresh is rolled back by Auto Scaling, or reported failed without auto rollback.
    func failure(_ moto: MotoAWS) async throws {
        let deployment = try await MotoDeployment.create(on: moto, project: "fails", scenario: "fail")
        defer { deployment.removeWorkspace() }
        let result = try await deployment.controller().start(deployment.config, options: deployment.options(deployment.images[1]))
        #expect(result.outcome == .rolledBack)
        #expect(result.reason?.contains("simulated failure") == true)
        #expect(result.imageID == deployment.images[0] && result.launchTemplateVersion == "1")
        let record = try deployment.store.load(deployment: "fails-test")
        #expect(record.current?.imageID == deployment.images[0] && record.previous == nil)
        #expect(record.history.last?.outcome == "rolled-back")

        let manual = try await MotoDeployment.create(on: moto, project: "manual", scenario: "fail", autoRollback: false)
        defer { manual.removeWorkspace() }
        let failed = try await manual.controller().start(manual.config, options: manual.options(manual.images[1]))
        #expect(failed.outcome == .failed && failed.reason?.contains("simulated failure") == true)
        #expect(try manual.store.load(deployment: "manual-test").history.last?.outcome == "failed")
    }

    /// Health below the bar during a refresh makes the rollout roll back and say why; cancel stops a refresh.
    func healthRollbackAndCancel(_ moto: MotoAWS) async throws {
        let deployment = try await MotoDeployment.create(on: moto, project: "sick", scenario: "unhealthy")
        defer { deployment.removeWorkspace() }
        let events = EventLog()
        let result = try await deployment.controller().start(deployment.config, options: deployment.options(deployment.images[1])) {
            events.append($0)
        }
        #expect(result.outcome == .rolledBack)
        #expect(result.reason?.contains("healthy targets stayed below 90% (0 of 2)") == true)
        #expect(events.all.contains(.healthBelowBar(healthyPercent: 0, minimum: 90, consecutive: 2)))
        #expect(events.all.contains { if case .rollingBack = $0 { true } else { false } })
        let calls = try #require(try await moto.server.control("/_fixture/calls", [:]) as? [[String]])
        #expect(calls.contains(["RollbackInstanceRefresh", "sick-test-asg"]))
        let health = try await deployment.clients().elbv2.describeTargetHealth(targetGroupARN: deployment.targetGroupARN)
        #expect(health.allSatisfy { $0.state == "healthy" })

        let stuck = try await MotoDeployment.create(on: moto, project: "stuck", scenario: "unhealthy", autoRollback: false)
        defer { stuck.removeWorkspace() }
        let clients = try stuck.clients()
        let group = try #require(try await clients.autoScaling.describeAutoScalingGroups(names: ["stuck-test-asg"]).first)
        let refreshID = try await clients.autoScaling.startInstanceRefresh(
            groupName: group.name, desiredConfiguration: .init(launchTemplate: .init(id: stuck.launchTemplateID, version: "1")),
            preferences: .init())
        #expect(try await stuck.controller().cancel(stuck.config) == refreshID)
        let status = try await stuck.controller().status(stuck.config)
        #expect(status.latestRefresh?.status == "Cancelled")
        #expect(status.record.history.last?.action == "cancel")
    }
}
