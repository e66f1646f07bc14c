import GatewayCore

/// Steps that install systemd units and control services. On the running system they reload, enable,
/// start and wait; on another tree (`--root`) they only install and enable (`systemctl --root`).
enum ServiceSteps {
    /// Writes a unit file; a change is recorded so the unit is reloaded and restarted.
    static func install(_ unit: SystemdUnitFile, phase: NodePhase) -> NodeStep {
        let path = "\(NodePaths.unitDirectory)/\(unit.name)"
        return .file(id: "\(phase.rawValue).unit.\(unit.name)", phase: phase, title: "Install \(unit.name)", path: path, contents: unit.text, mode: 0o644, changes: unit.name)
    }

    /// `systemctl daemon-reload` when these unit files changed (or systemd says they need it). Template
    /// units (`name@.service`) count for the journal's changes; systemd is asked only about the others
    /// (`systemctl show` refuses a template's name), so pass a template's instances with it.
    static func reload(phase: NodePhase, units: [String]) -> NodeStep {
        let loadable = units.filter { !$0.contains("@.") }
        return NodeStep(
            id: "\(phase.rawValue).daemon-reload", phase: phase, title: "Reload systemd's unit files", operations: [.run(["systemctl", "daemon-reload"])], notes: ["skipped when no unit file changed"]
        ) { context in
            if context.journal.needsReload(units) { return false }
            guard !loadable.isEmpty else { return true }
            let output = try await context.probe(["systemctl", "show", "--property=NeedDaemonReload", "--value"] + loadable)
            guard output.succeeded else { return false }
            return !output.standardOutput.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "yes" }
        } perform: { context in
            try await context.require(["systemctl", "daemon-reload"])
            context.journal.recordReload()
        }
    }

    /// Enables units and starts them (restarting those whose file or credential changed).
    static func enableAndStart(id: String, phase: NodePhase, title: String, units: [String]) -> NodeStep {
        NodeStep(
            id: id, phase: phase, title: title, operations: [.run(["systemctl", "enable", "--now"] + units)], notes: ["units whose file or credential changed in this apply are restarted instead"]
        ) { context in
            if units.contains(where: context.journal.needsRestart) { return false }
            let enabled = try await context.probe(["systemctl", "is-enabled"] + units)
            let active = try await context.probe(["systemctl", "is-active"] + units)
            return enabled.succeeded && active.succeeded
        } perform: { context in
            try await context.require(["systemctl", "enable"] + units)
            let restart = units.filter(context.journal.needsRestart)
            let start = units.filter { !restart.contains($0) }
            if !restart.isEmpty { try await context.require(["systemctl", "restart"] + restart) }
            if !start.isEmpty { try await context.require(["systemctl", "start"] + start) }
            context.journal.recordRestart(units)
        }
    }

    /// Enables units in another tree without starting them (`systemctl --root=DIR enable`).
    static func enableOffline(id: String, phase: NodePhase, title: String, units: [String], root: HostRoot) -> NodeStep {
        let rootOption = "--root=\(root.directory)"
        return .commands(id: id, phase: phase, title: title, [["systemctl", rootOption, "enable"] + units], notes: ["--root: enabled for the next boot, not started"]) { context in
            let output = try await context.probe(["systemctl", rootOption, "is-enabled"] + units)
            return output.succeeded
        }
    }

    /// Waits until a unit is active.
    static func waitActive(id: String, phase: NodePhase, unit: String, timeout: @escaping @Sendable (WaitPolicy) -> Duration) -> NodeStep {
        let probe = ["systemctl", "is-active", unit]
        return .wait(id: id, phase: phase, title: "Wait until \(unit) is active", condition: "\(unit) is active", probe: probe, timeout: timeout) { context in
            let output = try await context.probe(probe)
            let state = output.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
            if state == "failed" {
                throw StepError.conflict(message: "\(unit) failed to start", hint: "see `journalctl -u \(unit) -n 50`")
            }
            return (state == "active", "is-active: \(state)")
        }
    }
}
