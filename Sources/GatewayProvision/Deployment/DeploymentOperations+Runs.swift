import Foundation
import GatewayCore

// Run bookkeeping: the lock, the record and event log, the cancel watch.
extension DeploymentOperations {
    /// What a run needs from the config: its fingerprint, and terraform for terraform runs.
    struct Context: Sendable {
        var fingerprint: ConfigFingerprint
        var terraform: TerraformDriver?
    }

    /// Takes the lock, creates the run, runs `body` while watching for cancel requests, releases the lock.
    func perform(
        _ action: RunAction,
        context: Context,
        onEvent: @escaping RunEventHandler,
        body: @escaping @Sendable (RunSession) async -> RunRecord
    ) async throws -> RunRecord {
        try await perform(action, context: context, onEvent: onEvent, precheck: {}) { session, _ in await body(session) }
    }

    /// Like ``perform(_:context:onEvent:body:)``, with a check made while holding the lock and
    /// before the run starts (its result goes to `body`; if it throws, no run is created).
    func perform<Checked: Sendable>(
        _ action: RunAction,
        context: Context,
        onEvent: @escaping RunEventHandler,
        precheck: () throws -> Checked,
        body: @escaping @Sendable (RunSession, Checked) async -> RunRecord
    ) async throws -> RunRecord {
        let (lock, recovered) = try await workspace.lockForRun()
        defer { lock.release() }
        let checked = try precheck()
        let id = RunID.make()
        let owner = ProcessIdentity.current
        let record = RunRecord(id: id, deployment: workspace.name, action: action, owner: owner, configHash: context.fingerprint.hash)
        lock.describe(LockHolder(runID: id, action: action, startTime: record.startTime, owner: owner))
        let session = try RunSession(workspace: workspace, record: record, handler: onEvent, logger: logger)
        try WorkspaceFiles.write(context.fingerprint.canonicalJSON, to: workspace.runConfigURL(id))
        session.emit(.runStarted) { event in
            event.message = "\(action.rawValue) of deployment \(workspace.name) (config \(context.fingerprint.shortHash))"
        }
        for interrupted in recovered {
            session.notice("run \(interrupted.id) (\(interrupted.action.rawValue)) was \(interrupted.message ?? "interrupted")")
        }
        return await withTaskGroup(of: RunRecord?.self) { group in
            group.addTask { await body(session, checked) }
            group.addTask {
                while !Task.isCancelled {
                    if workspace.isCancelRequested(id) {
                        session.notice("cancel requested; stopping")
                        return nil
                    }
                    try? await Task.sleep(for: .milliseconds(100))
                }
                return nil
            }
            var result: RunRecord?
            while let next = await group.next() {
                if let next { result = next }
                group.cancelAll()
            }
            return result ?? session.finish(.failed, "the run ended without a result")
        }
    }
}
