import Foundation
import GatewayCore
import GatewayProvision
import Synchronization

/// Shows a run's events: JSON lines with `--json`; otherwise readable lines, and on a terminal a
/// status line kept at the bottom ("[12/57 resources] 1m02s  creating aws_lb.s3").
final class RunProgressPrinter: Sendable {
    enum Mode {
        case json
        case text(live: Bool)
    }

    private struct State {
        var runID: String?
        var start: Date?
        var step: RunStep?
        var progress: ResourceProgress?
        var printedProgress: ResourceProgress?
        var statusShown = false
        var finished = false
    }

    private let mode: Mode
    private let file: String
    private let state = Mutex(State())

    /// - Parameters:
    ///   - json: Print JSON lines.
    ///   - live: Keep a status line (only when standard output is a terminal).
    ///   - file: The config file, for the hints printed after a plan.
    init(json: Bool, live: Bool, file: String) {
        mode = json ? .json : .text(live: live)
        self.file = file
    }

    /// The event handler to give the library.
    var handler: RunEventHandler {
        { event in self.show(event) }
    }

    func show(_ event: RunEvent) {
        switch mode {
        case .json:
            if let line = try? event.jsonLine() { Terminal.out(line) }
        case .text(let live):
            state.withLock { state in
                let lines = describe(event, state: &state)
                guard !lines.isEmpty || live else { return }
                write(lines, live: live, state: &state)
            }
        }
    }

    /// Redraws the status line (elapsed time moves on even when nothing happens).
    func tick() {
        guard case .text(live: true) = mode else { return }
        state.withLock { state in write([], live: true, state: &state) }
    }

    /// Clears the status line before other output.
    func clearStatus() {
        guard case .text(live: true) = mode else { return }
        state.withLock { state in
            if state.statusShown {
                FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8))
                state.statusShown = false
            }
        }
    }

    private func write(_ lines: [String], live: Bool, state: inout State) {
        var text = ""
        if live, state.statusShown { text += "\r\u{1B}[K" }
        for line in lines { text += line + "\n" }
        state.statusShown = false
        if live, !state.finished, let status = statusLine(state) {
            text += status
            state.statusShown = true
        }
        if !text.isEmpty { FileHandle.standardOutput.write(Data(text.utf8)) }
    }

    private func statusLine(_ state: State) -> String? {
        guard let start = state.start else { return nil }
        var parts: [String] = []
        if let progress = state.progress, progress.total > 0 {
            parts.append("[\(progress.done)/\(progress.total) resources\(progress.failed > 0 ? ", \(progress.failed) failed" : "")]")
        } else if let step = state.step {
            parts.append("[\(step.rawValue)]")
        }
        parts.append(Self.elapsed(Date().timeIntervalSince(start)))
        if let current = state.progress?.current { parts.append(current) }
        return parts.joined(separator: "  ")
    }

    static func elapsed(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds.rounded(.down)))
        return total >= 60 ? "\(total / 60)m\(String(format: "%02d", total % 60))s" : "\(total)s"
    }

    // MARK: - Text of each event

    private func describe(_ event: RunEvent, state: inout State) -> [String] {
        switch event.type {
        case .runStarted:
            state.runID = event.run
            state.start = event.time
            return ["run \(event.run): \(event.message ?? "")"]
        case .notice:
            return ["note: \(event.message ?? "")"]
        case .stepStarted:
            state.step = event.step
            if event.step == .terraformApply || event.step == .terraformDestroy {
                state.progress = nil
                state.printedProgress = ResourceProgress(done: 0, total: 0, failed: 0, current: nil)
            }
            return ["==> \(event.step?.rawValue ?? "step")"]
        case .processStarted:
            return []
        case .output:
            guard let text = event.text, !text.isEmpty else { return [] }
            return ["    \(text)"]
        case .terraform:
            return event.terraform.map(describe) ?? []
        case .progress:
            state.progress = event.progress
            // Without a status line, a line for each resource finished (or failed).
            guard case .text(live: false) = mode, let progress = event.progress,
                progress.done != state.printedProgress?.done || progress.failed != state.printedProgress?.failed
            else { return [] }
            state.printedProgress = progress
            return ["    [\(progress.done)/\(progress.total) resources]"]
        case .signalSent:
            return ["    \(event.message ?? "sent \(event.signal ?? "a signal")")"]
        case .stepFinished:
            guard event.succeeded == false else { return [] }
            return ["    \(event.message ?? "")"]
        case .planSummary:
            return event.plan.map { describe($0, runID: event.run) } ?? []
        case .imageBuilt:
            guard let image = event.image else { return [] }
            return ["built \(image.amiID) in \(image.region)"]
        case .rollout:
            guard let rollout = event.rollout else { return [] }
            return ["    \(rollout.message)"]
        case .runFinished:
            state.finished = true
            let elapsed = state.start.map { " after \(Self.elapsed(event.time.timeIntervalSince($0)))" } ?? ""
            return ["run \(event.run) \(event.status?.rawValue ?? "ended")\(elapsed): \(event.message ?? "")"]
        }
    }

    private func describe(_ ui: TerraformUIEvent) -> [String] {
        switch ui.type {
        case .applyComplete, .applyErrored, .changeSummary, .log, .resourceDrift:
            return ["    \(ui.message)"]
        case .provisionProgress:
            guard let hook = ui.hook, let output = hook.output else { return [] }
            return ["    \(hook.address) (\(hook.provisioner ?? "provisioner")): \(output)"]
        case .diagnostic:
            guard let diagnostic = ui.diagnostic else { return [] }
            let label = diagnostic.isError ? "Error" : "Warning"
            var lines = ["    \(label): \(diagnostic.summary)"]
            if let file = diagnostic.file { lines.append("      on \(file)" + (diagnostic.line.map { " line \($0)" } ?? "")) }
            lines += diagnostic.detail.split(separator: "\n").map { "      \($0)" }
            return lines
        default:
            return []
        }
    }

    private func describe(_ plan: TerraformPlanSummary, runID: String) -> [String] {
        guard plan.hasChanges else { return ["No changes: the infrastructure matches the config."] }
        var lines = ["Plan: \(plan.headline)"]
        let symbols: [TerraformAction: String] = [.create: "+", .update: "~", .replace: "-/+", .delete: "-", .read: "<=", .import: "<-", .remove: "forget"]
        for change in plan.changes {
            let symbol = symbols[change.action] ?? "?"
            let reason = change.reason.map { "  (\($0.replacingOccurrences(of: "_", with: " ")))" } ?? ""
            lines.append("  \(symbol.padding(toLength: 4, withPad: " ", startingAt: 0))\(change.address)\(reason)")
        }
        let destroys = plan.countsByType(.delete)
        if !destroys.isEmpty {
            lines.append("Destroys by type: " + destroys.map { "\($0.type) \($0.count)" }.joined(separator: ", "))
        }
        if !plan.outputChanges.isEmpty {
            lines.append("Outputs changing: \(plan.outputChanges.joined(separator: ", "))")
        }
        return lines
    }
}
