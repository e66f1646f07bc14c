import GatewayCore

/// Steps that install systemd units and control services. On the running system they reload, enable,
/// start and wait; on another tree (`--root`) they only install and enable (`systemctl --root`).
enum ServiceSteps {
    /// Writes a unit file; a change is recorded so the unit is reloaded and restarted.
    static func install(_ unit: SystemdUnit, phase: NodePhase) -> NodeStep {
        let path = "\(NodeLayout.unitDirectory)/\(unit.name)"
        return .file(id: "\(phase.rawValue).unit.\(unit.name)", phase: phase, title: "Install \(unit.name)", path: path, contents: unit.text, mode: 0o644, changes: unit.name)
    }

    /// `systemctl daemon-reload` when these unit files (or fstab) changed, or systemd says they need it.
    static func reload(id: String, phase: NodePhase, units: [String]) -> NodeStep {
        NodeStep(id: id, phase: phase, title: "Reload systemd's unit files", operations: [.run(["systemctl", "daemon-reload"])], notes: ["skipped when no unit file and no fstab line changed"]) { context in
            if context.journal.needsReload(units) { return false }
            let output = try await context.probe(["systemctl", "show", "--property=NeedDaemonReload", "--value"] + units)
            guard output.succeeded else { return false }
            return !output.standardOutput.split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "yes" }
        } perform: { context in
            try await context.require(["systemctl", "daemon-reload"])
            context.journal.recordReload()
        }
    }

    /// Enables units (on the running system or, with `--root`, in the tree).
    static func enable(id: String, phase: NodePhase, title: String, units: [String], root: HostRoot) -> NodeStep {
        let rootOptions = root.isSystem ? [] : ["--root=\(root.directory)"]
        return .commands(id: id, phase: phase, title: title, [["systemctl"] + rootOptions + ["enable"] + units]) { context in
            try await context.probe(["systemctl"] + rootOptions + ["is-enabled"] + units).succeeded
        }
    }

    /// Starts units, restarting those whose file or credential changed in this apply.
    static func start(id: String, phase: NodePhase, title: String, units: [String]) -> NodeStep {
        NodeStep(id: id, phase: phase, title: title, operations: [.run(["systemctl", "start"] + units)], notes: ["units whose file or credential changed in this apply are restarted instead"]) { context in
            if units.contains(where: context.journal.needsRestart) { return false }
            return try await context.probe(["systemctl", "is-active"] + units).succeeded
        } perform: { context in
            let restart = units.filter(context.journal.needsRestart)
            let start = units.filter { !restart.contains($0) }
            if !restart.isEmpty { try await context.require(["systemctl", "restart"] + restart) }
            if !start.isEmpty { try await context.require(["systemctl", "start"] + start) }
            context.journal.recordRestart(units)
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
