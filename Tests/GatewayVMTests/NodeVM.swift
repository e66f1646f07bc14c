import Foundation
import GatewayCore
import GatewayProvision

/// The whole instance path run in virtual machines, once per test process: the rendered bundle of the
/// example deployment, an image built from the rendered `provision.sh` (boot 1), then an instance's first
/// boot from that image, a reboot, a stop/start and a second instance (boots 2 to 5). Each boot's guest
/// scenario (`scripts/vm/scenarios`) writes named checks and figures to the 9p share; the tests assert them.
///
/// Stand-ins, each named FAKE where it lives: cloud-init (runs the user data), the SSM parameter store
/// (parameters as files; the node config's `ssm:` references point at them), the LucidLink client, VersityGW,
/// the CloudWatch agent and the SSM agent's snap. Everything else is real: Debian's kernel, systemd, mdadm,
/// XFS, FUSE, systemd-creds, the self-contained gw-cli, the rendered scripts and units.
actor NodeVM {
    static let shared = NodeVM()

    /// A step of the pipeline, in order; each needs the ones before it.
    enum Stage: String, CaseIterable, Sendable {
        case imageBuild = "image-build"
        case firstBoot = "first-boot"
        case reboot
        case stopStart = "stop-start"
        case newInstance = "new-instance"
    }

    private var started: [Stage: Task<VMBootResult, any Error>] = [:]
    private var setup: Task<VMSetup, any Error>?

    /// The result of a stage, running it (and the stages before it) on first use.
    func result(_ stage: Stage) async throws -> VMBootResult {
        if let task = started[stage] { return try await task.value }
        let before = Stage.allCases.prefix { $0 != stage }
        let task = Task {
            let setup = try await self.prepared()
            var earlier: [Stage: VMBootResult] = [:]
            for previous in before { earlier[previous] = try await self.result(previous) }
            return try await setup.boot(stage, earlier: earlier)
        }
        started[stage] = task
        return try await task.value
    }

    private func prepared() async throws -> VMSetup {
        if let setup { return try await setup.value }
        let task = Task { try VMSetup.make() }
        setup = task
        return try await task.value
    }
}

/// A boot's outcome: how qemu ended, and the checks and figures the guest reported.
struct VMBootResult: Sendable {
    struct Check: Sendable {
        var name: String
        var ok: Bool
        var detail: String
    }

    var stage: NodeVM.Stage
    var checks: [Check]
    var figures: [String: String]
    /// Seconds from qemu's start to its end.
    var wallSeconds: Double
    var qemuStatus: Int32
    var consoleTail: String
    var resultsDirectory: URL

    func check(_ name: String) -> Check? { checks.first { $0.name == name } }
}

struct VMSetupError: Error, CustomStringConvertible {
    var description: String
}
