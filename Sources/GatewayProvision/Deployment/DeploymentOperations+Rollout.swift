import Foundation
import GatewayCore

extension DeploymentOperations {
    /// Rolls `options.imageID` out to the deployment's fleet as a recorded run: a launch template
    /// version with the AMI, an instance refresh with checkpoints, and a watch over the refresh and
    /// the target health that rolls back when either fails (see ``RolloutController``).
    ///
    /// Each step of the rollout arrives as a ``RunEventType/rollout`` event. The run succeeds when
    /// the fleet runs the AMI (or already did); it fails when the rollout was rolled back or failed.
    /// Cancelling the run cancels the instance refresh in AWS as well.
    ///
    /// - Throws: ``ActionProblems`` for options that cannot be used; ``ProvisionError`` when the
    ///   run cannot start (busy).
    public func rollout(
        _ options: RolloutOptions, clients: DeploymentAWSClients, onEvent: @escaping RunEventHandler = { _ in }
    ) async throws -> RunRecord {
        let problems = options.problems()
        if !problems.isEmpty { throw ActionProblems(problems) }
        let controller = RolloutController(clients: clients, store: AMIVersionStore(workspace: workspace), logger: logger)
        let context = Context(fingerprint: try ConfigFingerprint(config), terraform: nil)
        let config = config
        return try await perform(.rollout, context: context, onEvent: onEvent) { session in
            session.update { record in
                record.amiID = options.imageID
                record.amiSource = "rollout"
            }
            let checkpoints = options.checkpoints.isEmpty ? "none" : options.checkpoints.map(String.init).joined(separator: ",")
            return await instanceRefreshStep(
                session, controller: controller,
                command: "roll out \(options.imageID) to \(config.names.autoScalingGroup) (min healthy \(options.minHealthyPercentage)%, checkpoints \(checkpoints))",
                successes: [.succeeded, .unchanged]
            ) { progress in
                try await controller.start(config, options: options, progress: progress)
            }
        }
    }

    /// Rolls the fleet back as a recorded run: the instance refresh in progress (Auto Scaling's
    /// rollback), or else a refresh to the AMI it ran before the last successful rollout.
    ///
    /// - Throws: ``ProvisionError`` when the run cannot start (busy).
    public func rollback(
        _ options: RolloutOptions, clients: DeploymentAWSClients, onEvent: @escaping RunEventHandler = { _ in }
    ) async throws -> RunRecord {
        let controller = RolloutController(clients: clients, store: AMIVersionStore(workspace: workspace), logger: logger)
        let context = Context(fingerprint: try ConfigFingerprint(config), terraform: nil)
        let config = config
        return try await perform(.rollback, context: context, onEvent: onEvent) { session in
            await instanceRefreshStep(
                session, controller: controller, command: "roll back \(config.names.autoScalingGroup)", successes: [.rolledBack]
            ) { progress in
                try await controller.rollback(config, options: options, progress: progress)
            }
        }
    }

    /// Runs one rollout operation as the run's single step and ends the run by its outcome.
    private func instanceRefreshStep(
        _ session: RunSession,
        controller: RolloutController,
        command: String,
        successes: Set<RolloutResult.Outcome>,
        operation: @Sendable (@escaping @Sendable (RolloutEvent) -> Void) async throws -> RolloutResult
    ) async -> RunRecord {
        session.emit(.stepStarted) { event in
            event.step = .instanceRefresh
            event.command = command
        }
        let progress: @Sendable (RolloutEvent) -> Void = { event in
            if case .refreshStarted(let id, _) = event { session.update { $0.refreshID = id } }
            session.emit(.rollout) { $0.rollout = RolloutProgress(event) }
        }
        let result: RolloutResult
        do {
            result = try await operation(progress)
        } catch {
            if Task.isCancelled { return await cancelRefresh(session, controller: controller) }
            session.emit(.stepFinished) { event in
                event.step = .instanceRefresh
                event.succeeded = false
                event.message = "\(error)"
            }
            return session.finish(.failed, "\(error)")
        }
        session.update { record in
            if let refresh = result.refreshID { record.refreshID = refresh }
            if let image = result.imageID { record.amiID = image }
            record.rollout = result
        }
        let succeeded = successes.contains(result.outcome)
        session.emit(.stepFinished) { event in
            event.step = .instanceRefresh
            event.succeeded = succeeded
            event.message = result.description
        }
        if succeeded { return session.finish(.succeeded, result.description) }
        return session.finish(result.outcome == .cancelled ? .canceled : .failed, result.description)
    }

    /// The run was canceled while a refresh may be running: the refresh is cancelled in AWS too, so
    /// a canceled run never leaves a rollout going on unwatched.
    private func cancelRefresh(_ session: RunSession, controller: RolloutController) async -> RunRecord {
        guard let refresh = session.current.refreshID else {
            return session.finish(.canceled, "canceled before the instance refresh started")
        }
        let config = config
        // The run's task is cancelled; the AWS call runs in a task of its own so it is not.
        let outcome = await Task.detached { () -> Result<String, any Error> in
            do {
                return .success(try await controller.cancel(config))
            } catch {
                return .failure(error)
            }
        }.value
        switch outcome {
        case .success(let id):
            return session.finish(.canceled, "canceled; instance refresh \(id) cancelled in AWS (instances already replaced stay)")
        case .failure(let error):
            return session.finish(.canceled, "canceled; cancelling instance refresh \(refresh) failed: \(error) (see the rollout status)")
        }
    }
}
