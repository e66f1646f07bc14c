import Foundation
import GatewayCore
import GatewayProvision
import Testing

/// The library's one validation of actions, without a front: what each kind of action becomes,
/// and that no input crashes it or yields a message that names a front.
@Suite("Deployment action requests: one validation")
struct ActionRequestTests {
    static let ami = "ami-0123456789abcdef0"
    static let run = "20261127T095018Z-3fa2c1"

    @Test("Valid requests become the typed action, with the rules' normalisation")
    func validRequestsBecomeActions() throws {
        #expect(try DeploymentActionRequest(.plan).validated(deployment: "d").get() == .plan(mode: .apply, amiID: nil))
        #expect(try DeploymentActionRequest(.plan, amiId: Self.ami).validated(deployment: "d").get() == .plan(mode: .apply, amiID: AMIID(Self.ami)))
        #expect(try DeploymentActionRequest(.plan, destroy: true).validated(deployment: "d").get() == .plan(mode: .destroy, amiID: nil))
        #expect(try DeploymentActionRequest(.plan, destroy: false).validated(deployment: "d").get() == .plan(mode: .apply, amiID: nil))
        #expect(try DeploymentActionRequest(.apply, planRun: Self.run).validated(deployment: "d").get() == .apply(.savedPlan(runID: Self.run)))
        #expect(try DeploymentActionRequest(.apply, amiId: Self.ami, autoApprove: true).validated(deployment: "d").get() == .apply(.autoApprove(amiID: Self.ami)))
        #expect(try DeploymentActionRequest(.destroy, planRun: Self.run).validated(deployment: "d").get() == .destroy(.savedPlan(runID: Self.run)))
        #expect(try DeploymentActionRequest(.destroy, planRun: Self.run, confirm: "d").validated(deployment: "d").get() == .destroy(.savedPlan(runID: Self.run)))
        #expect(try DeploymentActionRequest(.destroy, autoApprove: true, confirm: "d").validated(deployment: "d").get() == .destroy(.autoApprove(confirmation: "d")))
        #expect(try DeploymentActionRequest(.imageBuild).validated(deployment: "d").get() == .buildImage(nodeBinary: nil))
        let rollout = try DeploymentActionRequest(.rollout, amiId: Self.ami, minHealthy: 50, checkpoints: [66, 33], pollSeconds: 0.25, timeoutMinutes: 5)
            .validated(deployment: "d").get()
        #expect(
            rollout
                == .rollout(
                    amiID: try #require(AMIID(Self.ami)),
                    RolloutOverrides(
                        minHealthyPercentage: 50, checkpoints: [66, 33], pollInterval: .milliseconds(250), timeout: .seconds(300))))
        #expect(try DeploymentActionRequest(.rollback).validated(deployment: "d").get() == .rollback(RolloutOverrides()))
        // Rollout options normalise the checkpoints as Auto Scaling takes them.
        let options = RolloutOptions(config: GatewayConfig(), imageID: Self.ami, checkpoints: [66, 33])
        #expect(options.checkpoints == [33, 66, 100])
        #expect(options.problems().isEmpty)
    }

    @Test("Options that do not belong to the action are refused, each by name")
    func foreignOptionsAreRefused() {
        let problems = DeploymentActionRequest(.imageBuild, amiId: Self.ami, planRun: Self.run, minHealthy: 5).problems(deployment: "d")
        #expect(problems.map(\.code) == [.optionNotAllowed, .optionNotAllowed, .optionNotAllowed])
        #expect(problems.map(\.option) == [.amiId, .planRun, .minHealthy])
        #expect(problems.first?.hint == "ami-build takes nodeBinary")
        let rollback = DeploymentActionRequest(.rollback, amiId: Self.ami, checkpoints: [100]).problems(deployment: "d")
        #expect(rollback.map(\.option) == [.amiId, .checkpoints])
    }

    @Test("Random input never crashes, and no message or hint names a front")
    func randomInputIsHandled() {
        var generator = SystemRandomNumberGenerator()
        let texts = ["", "ami-", Self.ami, "ami-0123456789", Self.run, "../x", "\u{0}\u{7}", String(repeating: "x", count: 5000), "d", "/abs", "rel", "ami-ABCDEF01"]
        func pick<T>(_ values: [T]) -> T? { Bool.random(using: &generator) ? values.randomElement(using: &generator) : nil }
        var refused = 0
        for _ in 0..<5_000 {
            let request = DeploymentActionRequest(
                RunAction.allCases.randomElement(using: &generator)!, amiId: pick(texts), planRun: pick(texts), autoApprove: pick([true, false]),
                confirm: pick(texts), destroy: pick([true, false]), minHealthy: pick([-1, 0, 50, 100, 101, Int.min, Int.max]),
                checkpoints: pick([[], [100], [0], [50, 50], [Int.max], [66, 33]]), pollSeconds: pick([0, 0.01, 1, 3600, 3601, .nan, .infinity, -1]),
                timeoutMinutes: pick([0, 1, 10_080, 10_081, Int.min]), nodeBinary: pick(texts))
            let problems = request.problems(deployment: "d")
            if !problems.isEmpty { refused += 1 }
            for problem in problems {
                for text in [problem.message, problem.hint] {
                    #expect(!text.contains("gw-cli") && !text.contains("--") && text.count < 400, "\(text)")
                    #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(text)")
                }
            }
        }
        #expect(refused > 1_000)
    }
}
