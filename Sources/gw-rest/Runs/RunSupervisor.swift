import Foundation
import GatewayCore
import GatewayProvision
import Logging
import ServiceLifecycle
import Synchronization

/// Starts runs through the library and sees them through a shutdown.
///
/// A run is started by calling the library's operation (plan, apply, destroy, image build) in a task
/// of its own; the call to ``start(_:workspace:config:caller:)`` returns as soon as the run exists
/// (its record is written and its first event logged), or throws if it could not start (busy, plan
/// refused, no AMI, tool missing). Runs go on after the request that started them is answered.
///
/// As a `Service`: on graceful shutdown (SIGTERM) no new run is accepted; runs in progress go on
/// until they end or the deadline passes, then they are canceled, which the library records (the
/// tool is stopped gracefully and the run ends `canceled`).
final class RunSupervisor: Service, Sendable {
    private struct State {
        var accepting = true
        var tasks: [UUID: Task<Void, Never>] = [:]
    }

    private let root: WorkspaceRoot
    private let bundle: BundleSource
    private let environment: [String: String]
    private let deadline: Duration
    private let logger: Logger
    private let state = Mutex(State())

    init(root: WorkspaceRoot, bundle: BundleSource, environment: [String: String], deadline: Duration, logger: Logger) {
        self.root = root
        self.bundle = bundle
        self.environment = environment
        self.deadline = deadline
        self.logger = logger
    }

    /// How many runs this process is running.
    var activeRuns: Int { state.withLock { $0.tasks.count } }

    /// Starts a run and returns its record once it exists.
    ///
    /// - Throws: ``APIProblem`` when the server is shutting down or the run cannot start.
    func start(_ action: DeploymentAction, workspace: DeploymentWorkspace, config: GatewayConfig, caller: String?) async throws -> RunRecord {
        guard state.withLock({ $0.accepting }) else {
            throw APIProblem(.shuttingDown, "the server is shutting down and starts no new run; try again once it is back")
        }
        let operations: DeploymentOperations
        do {
            operations = try DeploymentOperations(root: root, config: config, bundle: bundle, environment: environment, logger: logger)
        } catch let error as ProvisionError {
            throw APIProblem(error, deployment: workspace)
        }
        // Rollouts talk to AWS: clients the server's credentials cannot make are refused here, before a run exists.
        if action.kind == .rollout || action.kind == .rollback {
            do {
                _ = try operations.awsClients()
            } catch {
                throw APIProblem(aws: error)
            }
        }
        let (started, continuation) = AsyncStream<Result<String, any Error>>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let key = UUID()
        let logger = logger
        // The task is registered under the lock it takes to unregister itself, so a run that fails
        // at once cannot unregister before it is registered.
        state.withLock { state in
            state.tasks[key] = Task {
                do {
                    let record = try await operations.run(action) { event in
                        if event.type == .runStarted {
                            continuation.yield(.success(event.run))
                            continuation.finish()
                        }
                    }
                    logger.info("run finished", metadata: ["run": .string(record.id), "status": .string(record.status.rawValue)])
                } catch {
                    continuation.yield(.failure(error))
                }
                continuation.finish()
                _ = self.state.withLock { $0.tasks.removeValue(forKey: key) }
            }
        }
        var outcome: Result<String, any Error>?
        for await first in started {
            outcome = first
            break
        }
        switch outcome {
        case .success(let id):
            logger.info("run started", metadata: ["run": .string(id), "deployment": .string(workspace.name), "action": .string(action.kind.rawValue), "caller": .string(caller ?? "-")])
            do {
                return try workspace.record(id)
            } catch let error as ProvisionError {
                throw APIProblem(error, deployment: workspace)
            }
        case .failure(let error as ActionProblems):
            throw APIProblem(actions: error)
        case .failure(let error as ProvisionError):
            if error.code == .busy {
                throw await Self.busyProblem(workspace)
            }
            throw APIProblem(error, deployment: workspace)
        case .failure(let error):
            logger.error("run did not start", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
            throw APIProblem(.internalError, "the run could not be started")
        case nil:
            throw APIProblem(.internalError, "the run could not be started")
        }
    }

    /// The 409 for a busy deployment, naming the running run. The lock's description is written just
    /// after the lock is taken, so it is given a moment to appear.
    private static func busyProblem(_ workspace: DeploymentWorkspace) async -> APIProblem {
        for _ in 0..<20 {
            if workspace.lockHolder() != nil { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return APIProblem(ProvisionError(.busy, ""), deployment: workspace)
    }

    // MARK: - Service

    /// Waits for the graceful shutdown, then stops accepting runs and lets the running ones finish
    /// until the deadline, after which they are canceled and awaited (so their records are final).
    /// If this service is canceled outright, runs are canceled at once.
    func run() async throws {
        await withTaskCancellationHandler {
            try? await gracefulShutdown()
            let tasks = state.withLock { state -> [Task<Void, Never>] in
                state.accepting = false
                return Array(state.tasks.values)
            }
            guard !tasks.isEmpty else { return }
            logger.notice("shutting down: waiting for runs in progress", metadata: ["runs": .stringConvertible(tasks.count), "deadline.seconds": .stringConvertible(deadline.components.seconds)])
            let end = ContinuousClock.now + deadline
            while activeRuns > 0, ContinuousClock.now < end, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
            }
            if activeRuns > 0 {
                logger.warning("shutdown deadline reached: canceling runs in progress", metadata: ["runs": .stringConvertible(activeRuns)])
                cancelAll()
            }
            for task in tasks { await task.value }
            logger.notice("all runs ended")
        } onCancel: {
            cancelAll()
        }
    }

    private func cancelAll() {
        for task in state.withLock({ Array($0.tasks.values) }) { task.cancel() }
    }
}
