import Foundation
import GatewayCore
import Logging
import Synchronization

/// One run in progress: its record, its event log and the caller's event handler. Every event goes
/// to the log first, then to the handler; every change of the record is saved at once, so another
/// process (`gw-cli runs`, `logs --follow`, `cancel`) always sees the current state.
final class RunSession: Sendable {
    let workspace: DeploymentWorkspace
    private let record: Mutex<RunRecord>
    private let log: RunEventLogWriter
    private let handler: RunEventHandler
    private let logger: Logger

    /// The outcome of one tool step.
    struct StepOutcome {
        var exit: ProcessExit
        /// The first error terraform reported, for the run's message.
        var firstError: TerraformDiagnostic?
        /// The last lines of standard error, for the run's message when there is no diagnostic.
        var errorTail: [String]
        /// Terraform's change summary at the end of an apply or destroy.
        var changeSummary: TerraformChangeSummary? = nil

        var canceled: Bool { exit.stopReason != nil }

        func failureMessage(_ what: String) -> String {
            if let reason = exit.stopReason {
                return "\(what) was stopped (\(reason == .timedOut ? "timed out" : "canceled"))"
            }
            if let firstError {
                return "\(what) failed: \(firstError.summary)" + (firstError.detail.isEmpty ? "" : ": \(firstError.detail)")
            }
            let lines = errorTail.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            // Plain-text terraform errors start with "Error: <summary>"; that line says most.
            let detail =
                lines.first { $0.hasPrefix("Error:") }.map { String($0.dropFirst("Error:".count)).trimmingCharacters(in: .whitespaces) }
                ?? lines.suffix(3).joined(separator: " ")
            return "\(what) failed (\(exit.status))" + (detail.isEmpty ? "" : ": \(detail)")
        }
    }

    /// The outcome of a step that must succeed, or nil when it did not (it could not start, was
    /// stopped, or failed): the run is then finished as failed or canceled, with `what` in its
    /// message, and ``current`` is its final record.
    func succeeded(_ result: Result<StepOutcome, ProvisionError>, _ what: String) -> StepOutcome? {
        switch result {
        case .failure(let error):
            _ = finish(.failed, error.message)
            return nil
        case .success(let outcome):
            if outcome.canceled {
                _ = finish(.canceled, outcome.failureMessage(what))
                return nil
            }
            guard outcome.exit.succeeded else {
                _ = finish(.failed, outcome.failureMessage(what))
                return nil
            }
            return outcome
        }
    }

    init(workspace: DeploymentWorkspace, record: RunRecord, handler: @escaping RunEventHandler, logger: Logger) throws {
        try FileManager.default.createDirectory(at: workspace.runDirectory(record.id), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        self.workspace = workspace
        self.record = Mutex(record)
        self.log = try RunEventLogWriter(url: workspace.eventLogURL(record.id))
        self.handler = handler
        self.logger = logger
        try workspace.save(record)
    }

    var id: String { record.withLock { $0.id } }
    var current: RunRecord { record.withLock { $0 } }

    /// Changes the record and saves it.
    func update(_ change: (inout RunRecord) -> Void) {
        let snapshot = record.withLock { record -> RunRecord in
            change(&record)
            return record
        }
        do {
            try workspace.save(snapshot)
        } catch {
            logger.error("cannot save run record", metadata: ["run.id": "\(snapshot.id)", "error": "\(error)"])
        }
    }

    func emit(_ type: RunEventType, _ fill: (inout RunEvent) -> Void = { _ in }) {
        var event = RunEvent(run: id, type: type)
        fill(&event)
        log.append(event)
        handler(event)
    }

    func notice(_ message: String) {
        emit(.notice) { $0.message = message }
    }

    /// Ends the run: writes the last event, then saves the final record. In this order, anyone who
    /// sees a final record (e.g. `logs --follow`) finds the whole log already written.
    func finish(_ status: RunStatus, _ message: String?) -> RunRecord {
        emit(.runFinished) { event in
            event.status = status
            event.message = message
        }
        update { record in
            record.status = status
            record.endTime = Date()
            record.toolProcess = nil
            record.message = message
        }
        try? FileManager.default.removeItem(at: workspace.cancelRequestURL(id))
        return current
    }

    /// Runs one terraform command, turning its events into run events (with resource progress).
    func runTerraform(_ step: RunStep, _ stream: TerraformEventStream) async -> Result<StepOutcome, ProvisionError> {
        emit(.stepStarted) { event in
            event.step = step
            event.command = stream.commandLine
        }
        var tracker = ResourceProgressTracker()
        var firstError: TerraformDiagnostic?
        var changeSummary: TerraformChangeSummary?
        var errorTail: [String] = []
        do {
            for try await event in stream {
                switch event {
                case .started(let start):
                    processStarted(step, start)
                case .ui(let ui):
                    emit(.terraform) { $0.terraform = ui }
                    // Progress counts resource operations; plans only announce them.
                    if step == .terraformApply || step == .terraformDestroy, let progress = tracker.consume(ui) {
                        emit(.progress) { $0.progress = progress }
                    }
                    if firstError == nil, let diagnostic = ui.diagnostic, diagnostic.isError {
                        firstError = diagnostic
                    }
                    if let changes = ui.changes { changeSummary = changes }
                case .output(let line):
                    output(line, tail: &errorTail)
                case .signalSent(let record):
                    signalSent(step, record)
                case .exited(let exit):
                    processExited(step, exit)
                    return .success(StepOutcome(exit: exit, firstError: firstError, errorTail: errorTail, changeSummary: changeSummary))
                }
            }
        } catch {
            return .failure(startFailure(step, error))
        }
        return .failure(ProvisionError(.toolFailed, "\(step.rawValue) ended without an exit status"))
    }

    /// Runs one command that does not speak terraform's UI (packer), line by line.
    func runProcess(_ step: RunStep, _ stream: ProcessEventStream) async -> Result<StepOutcome, ProvisionError> {
        emit(.stepStarted) { event in
            event.step = step
            event.command = stream.command.description
        }
        var errorTail: [String] = []
        do {
            for try await event in stream {
                switch event {
                case .started(let start):
                    processStarted(step, start)
                case .output(let line):
                    output(line, tail: &errorTail)
                case .signalSent(let record):
                    signalSent(step, record)
                case .exited(let exit):
                    processExited(step, exit)
                    return .success(StepOutcome(exit: exit, firstError: nil, errorTail: errorTail))
                }
            }
        } catch {
            return .failure(startFailure(step, error))
        }
        return .failure(ProvisionError(.toolFailed, "\(step.rawValue) ended without an exit status"))
    }

    private func processStarted(_ step: RunStep, _ start: ProcessStart) {
        update { $0.toolProcess = ProcessIdentity.of(processID: start.processID) }
        emit(.processStarted) { event in
            event.step = step
            event.processID = start.processID
        }
    }

    private func output(_ line: ProcessOutputLine, tail: inout [String]) {
        emit(.output) { event in
            event.time = line.time
            event.stream = line.stream
            event.text = line.text
        }
        if line.stream == .standardError {
            tail.append(line.text)
            if tail.count > 20 { tail.removeFirst() }
        }
    }

    private func signalSent(_ step: RunStep, _ record: ProcessSignalRecord) {
        emit(.signalSent) { event in
            event.step = step
            event.signal = record.name
            event.message = "sent \(record.name) to the \(step.rawValue) process group (\(record.reason == .timedOut ? "timed out" : "canceled"))"
        }
    }

    private func processExited(_ step: RunStep, _ exit: ProcessExit) {
        update { record in
            record.toolProcess = nil
            record.exitCode = exit.exitCode
        }
        // `plan -detailed-exitcode` ends with 2 when the plan has changes.
        let succeeded = exit.succeeded || (step == .terraformPlan && exit.status == .exited(2) && exit.stopReason == nil)
        emit(.stepFinished) { event in
            event.step = step
            event.succeeded = succeeded
            event.exitCode = exit.exitCode
            if case .signaled(let signal) = exit.status { event.signal = SignalName.of(signal) }
            event.message =
                "\(step.rawValue): \(exit.status) after \(exit.duration.formatted(.units(allowed: [.seconds, .milliseconds], width: .narrow)))"
                + (exit.stopReason.map { " (\($0 == .timedOut ? "timed out" : "canceled"))" } ?? "")
        }
    }

    private func startFailure(_ step: RunStep, _ error: any Error) -> ProvisionError {
        let message = (error as? ProcessError)?.message ?? "\(error)"
        emit(.stepFinished) { event in
            event.step = step
            event.succeeded = false
            event.message = "\(step.rawValue) could not start: \(message)"
        }
        return ProvisionError(.toolNotFound, "\(step.rawValue) could not start: \(message)")
    }
}
