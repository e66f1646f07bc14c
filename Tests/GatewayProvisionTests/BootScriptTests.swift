import Foundation
import GatewayCore
import Testing

@testable import GatewayProvision

/// The boot script starts the data path before the CloudWatch agent, and no agent failure ends it.
/// The script writes absolute paths, so only its agent step is run, with fakes in a temporary directory.
@Suite("Boot script: data path first, monitoring best effort")
struct BootScriptTests {
    static let start = "systemctl start --no-block \(NodeUnitNames.nodeSetup)\n"

    @Test("the setup unit is enabled and started before any agent command", arguments: try RenderVariants.all().map(\.name))
    func dataPathFirst(variant: String) throws {
        let config = try #require(try RenderVariants.all().first { $0.name == variant }).config
        let script = try #require(try BundleRenderer.render(config).file("node/user-data.sh")).contents
        let lines = script.split(separator: "\n").map(String.init)
        let reload = try #require(lines.firstIndex(of: "systemctl daemon-reload"))
        let enable = try #require(lines.firstIndex(of: "systemctl enable \(NodeUnitNames.nodeSetup)"))
        let start = try #require(lines.firstIndex(of: Self.start.trimmingCharacters(in: .newlines)))
        #expect(reload < enable && enable < start)
        let lastWrite = try #require(lines.lastIndex { $0 == UserDataScript.delimiter })
        #expect(lastWrite < reload, "every file is installed before systemd reloads")
        let agent = lines.firstIndex { $0.contains("amazon-cloudwatch-agent-ctl") }
        if config.monitoring.cloudWatch {
            let agent = try #require(agent)
            #expect(start < agent)
            #expect(script.hasSuffix(Self.start + UserDataScript.agentStep), "the agent step is the script's last")
        } else {
            #expect(agent == nil)
            #expect(script.hasSuffix(Self.start))
        }
    }

    /// Runs the example's agent step under `bash -euo pipefail` with `fake` as the agent's control
    /// program (nil: the agent is not installed).
    static func runAgentStep(fake: String?) throws -> (run: TestSupport.Run, calls: String) {
        let script = try #require(try BundleRenderer.render(try TestSupport.exampleConfig()).file("node/user-data.sh")).contents
        let marker = try #require(script.range(of: UserDataScript.agentStepMarker))
        let directory = try TestSupport.temporaryDirectory(prefix: "boot-agent")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let control = directory + "/fake-amazon-cloudwatch-agent-ctl"
        if let fake {
            try "#!/bin/bash\necho \"$*\" >>\(directory)/calls\n\(fake)\n".write(toFile: control, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: control)
        }
        let step = String(script[marker.lowerBound...]).replacingOccurrences(of: CloudWatchAgentConfig.control, with: control)
        #expect(step.contains(control + " -a fetch-config"), "the step runs the fake")
        // Nothing else from the script may run on this machine.
        try #require(!step.contains("systemctl") && !step.contains("write_file"), "the agent step must be the script's last:\n\(step)")
        try step.write(toFile: directory + "/agent-step.sh", atomically: true, encoding: .utf8)
        let run = try TestSupport.run(try TestSupport.tool("bash"), ["-euo", "pipefail", directory + "/agent-step.sh"], timeout: 30)
        let calls = (try? String(contentsOfFile: directory + "/calls", encoding: .utf8)) ?? ""
        return (run, calls)
    }

    @Test("a failing agent is reported and the script still ends with status 0")
    func failingAgent() throws {
        let (run, calls) = try Self.runAgentStep(fake: "exit 1")
        #expect(run.status == 0, "\(run.output)")
        #expect(calls == "-a fetch-config -m ec2 -s -c file:\(CloudWatchAgentConfig.configPath)\n")
        #expect(run.stderr.contains("gateway boot: the CloudWatch agent did not load its configuration or start (amazon-cloudwatch-agent-ctl exit status 1)"), "\(run.output)")
    }

    @Test("a missing agent is reported and the script still ends with status 0")
    func missingAgent() throws {
        let (run, calls) = try Self.runAgentStep(fake: nil)
        #expect(run.status == 0, "\(run.output)")
        #expect(calls.isEmpty)
        #expect(run.stderr.contains("gateway boot: the CloudWatch agent is not installed"), "\(run.output)")
    }

    @Test("a working agent loads the rendered configuration quietly")
    func workingAgent() throws {
        let (run, calls) = try Self.runAgentStep(fake: "exit 0")
        #expect(run.status == 0 && run.output.isEmpty, "\(run.output)")
        #expect(calls == "-a fetch-config -m ec2 -s -c file:\(CloudWatchAgentConfig.configPath)\n")
    }
}
