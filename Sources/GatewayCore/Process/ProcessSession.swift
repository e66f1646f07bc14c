import Foundation
import Logging
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The shared state of one child process between the task that drives it and the consumer of its
/// events: a bounded event buffer (the producers wait when the consumer falls behind, which in turn
/// makes the child wait on its pipe), the stop request, and the child's process group.
final class ProcessSession: Sendable {
    /// Events buffered before the output readers wait for the consumer.
    static let bufferLimit = 8192

    private struct State: ~Copyable {
        var buffer: [ProcessEvent] = []
        var consumer: CheckedContinuation<[ProcessEvent]?, any Error>?
        var waitingProducers: [CheckedContinuation<Void, Never>] = []
        var finished = false
        var failure: ProcessError?
        var launched = false
        var claimed = false
        var abandoned = false
        var group: ProcessGroup?
        var exited = false
        var stopReason: ProcessStopReason?
        var stopWaiter: CheckedContinuation<Void, Never>?
    }

    let command: ProcessCommand
    private let logger: Logger
    private let state = Mutex(State())

    init(command: ProcessCommand, logger: Logger) {
        self.command = command
        self.logger = logger
    }

    // MARK: - Consumer side

    /// Marks the session as being read; `false` when it already was (a stream is read once).
    func claim() -> Bool {
        state.withLock { state in
            defer { state.claimed = true }
            return !state.claimed
        }
    }

    /// The consumer has read the last event; nothing is left to stop.
    func finishedReading() {
        state.withLock { $0.abandoned = true }
    }

    /// Starts the child on first use; returns the next batch of events, or `nil` after the last.
    func nextBatch() async throws -> [ProcessEvent]? {
        let launch = state.withLock { state -> Bool in
            defer { state.launched = true }
            return !state.launched
        }
        if launch {
            // The child must keep running (and its output keep flowing) between calls to `next()`,
            // so it is driven by a task of its own. The task's lifetime is bound to this session:
            // it ends when the child's process group is gone, and a consumer that stops iterating
            // early stops the child (see `abandon()`).
            Task.detached { await self.drive() }
        }
        return try await withCheckedThrowingContinuation { continuation in
            let resume: Result<[ProcessEvent]?, any Error>? = state.withLock { state in
                if !state.buffer.isEmpty {
                    let batch = state.buffer
                    state.buffer.removeAll(keepingCapacity: true)
                    let producers = state.waitingProducers
                    state.waitingProducers.removeAll()
                    for producer in producers { producer.resume() }
                    return .success(batch)
                }
                if let failure = state.failure { return .failure(failure) }
                if state.finished { return .success(nil) }
                state.consumer = continuation
                return nil
            }
            if let resume { continuation.resume(with: resume) }
        }
    }

    /// Asks the child to stop: SIGINT to its group, then SIGTERM and SIGKILL after the grace periods.
    /// Only the first request counts; a request after the child ended does nothing.
    func requestStop(_ reason: ProcessStopReason) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.stopReason == nil, !state.exited else { return nil }
            state.stopReason = reason
            guard state.group != nil else { return nil }
            defer { state.stopWaiter = nil }
            return state.stopWaiter
        }
        waiter?.resume()
    }

    /// The consumer went away without reading to the end: stop the child and drop further output.
    func abandon() {
        let producers = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.abandoned = true
            state.buffer.removeAll()
            defer { state.waitingProducers.removeAll() }
            return state.waitingProducers
        }
        for producer in producers { producer.resume() }
        requestStop(.canceled)
    }

    // MARK: - Producer side

    private func deliver(_ events: [ProcessEvent], waitForRoom: Bool) async {
        guard !events.isEmpty else { return }
        let (consumer, mustWait) = state.withLock { state -> (CheckedContinuation<[ProcessEvent]?, any Error>?, Bool) in
            if state.abandoned { return (nil, false) }
            if let consumer = state.consumer {
                state.consumer = nil
                return (consumer, false)
            }
            state.buffer.append(contentsOf: events)
            return (nil, waitForRoom && state.buffer.count >= Self.bufferLimit)
        }
        if let consumer {
            consumer.resume(returning: events)
            return
        }
        guard mustWait else { return }
        await withCheckedContinuation { continuation in
            let stillFull = state.withLock { state -> Bool in
                guard !state.abandoned, state.buffer.count >= Self.bufferLimit else { return false }
                state.waitingProducers.append(continuation)
                return true
            }
            if !stillFull { continuation.resume() }
        }
    }

    private func finish(_ last: ProcessEvent?, failure: ProcessError?) {
        let consumer = state.withLock { state -> CheckedContinuation<[ProcessEvent]?, any Error>? in
            state.finished = true
            state.failure = failure
            guard let consumer = state.consumer else {
                if let last, !state.abandoned { state.buffer.append(last) }
                return nil
            }
            // A waiting consumer means the buffer is empty: it is handed over directly.
            state.consumer = nil
            return consumer
        }
        guard let consumer else { return }
        if let failure {
            consumer.resume(throwing: failure)
        } else {
            consumer.resume(returning: last.map { [$0] })
        }
    }

    // MARK: - Driving the child

    private func drive() async {
        let executable: String
        do {
            executable = try ExecutableLocator.resolve(command.executable, environment: command.environment)
            if let directory = command.workingDirectory {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
                else {
                    throw ProcessError(
                        .workingDirectoryUnavailable,
                        "cannot start \(command.executable): working directory \(directory) does not exist"
                    )
                }
            }
        } catch {
            finish(nil, failure: error as? ProcessError ?? ProcessError(.spawnFailed, "\(error)"))
            return
        }

        let startTime = Date()
        var termination: ProcessTerminationStatus?
        var spawnFailure: ProcessError?
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.controlStops() }
            if let timeout = command.timeout {
                group.addTask {
                    do {
                        try await Task.sleep(for: timeout)
                        // A child whose whole group is gone did finish in time: only the news of its
                        // exit is late (a busy machine can hold up the tasks that collect it).
                        if let started = self.state.withLock({ $0.group }), !started.isAlive { return }
                        self.requestStop(.timedOut)
                    } catch {
                        // The child ended first.
                    }
                }
            }
            do {
                termination = try await runChild(executable: executable)
            } catch let error as ProcessError {
                spawnFailure = error
            } catch {
                spawnFailure = Self.describe(error, executable: executable, command: command)
            }
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.exited = true
                defer { state.stopWaiter = nil }
                return state.stopWaiter
            }
            waiter?.resume()
            group.cancelAll()
        }

        if let spawnFailure {
            finish(nil, failure: spawnFailure)
            return
        }
        await stopLeftovers()
        let (reason, groupID) = state.withLock { ($0.stopReason, $0.group?.id) }
        let exit = ProcessExit(
            status: termination ?? .signaled(SIGKILL),
            stopReason: reason,
            startTime: startTime,
            endTime: Date()
        )
        logger.debug(
            "process ended",
            metadata: [
                "process.pid": "\(groupID ?? 0)", "process.status": "\(exit.status)",
                "process.stop_reason": "\(reason?.rawValue ?? "none")",
            ]
        )
        finish(.exited(exit), failure: nil)
    }

    private func runChild(executable: String) async throws -> ProcessTerminationStatus {
        var options = PlatformOptions()
        // Its own process group: signals to the group reach the child and everything it started,
        // and nothing else. A terminal's Ctrl-C does not reach it directly either; the runner
        // decides how the child is stopped.
        options.processGroupID = 0
        // Used by swift-subprocess only if this task itself is torn down.
        options.teardownSequence = [
            .send(signal: .interrupt, toProcessGroup: true, allowedDurationToNextStep: command.stopPolicy.interruptGracePeriod),
            .send(signal: .terminate, toProcessGroup: true, allowedDurationToNextStep: command.stopPolicy.terminateGracePeriod),
        ]
        var environment: [Subprocess.Environment.Key: String] = [:]
        for (name, value) in command.environment.values {
            guard let key = Subprocess.Environment.Key(rawValue: name) else { continue }
            environment[key] = value
        }
        let redactor = SecretRedactor(values: command.redactedValues)
        let maximumLineLength = command.maximumLineLength

        let result = try await Subprocess.run(
            .path(FilePath(executable)),
            arguments: Arguments(command.arguments),
            environment: .custom(environment),
            workingDirectory: command.workingDirectory.map { FilePath($0) },
            platformOptions: options,
            input: .none,
            output: .sequence,
            error: .sequence
        ) { execution in
            let pid = execution.processIdentifier.value
            await self.started(pid: pid)
            await withTaskGroup(of: Void.self) { readers in
                readers.addTask {
                    await self.pump(execution.standardOutput, .standardOutput, redactor: redactor, maximumLineLength: maximumLineLength)
                }
                readers.addTask {
                    await self.pump(execution.standardError, .standardError, redactor: redactor, maximumLineLength: maximumLineLength)
                }
            }
        }
        switch result.terminationStatus {
        case .exited(let code): return .exited(code)
        case .signaled(let signal): return .signaled(signal)
        }
    }

    private func started(pid: pid_t) async {
        let (waiter, start) = state.withLock { state -> (CheckedContinuation<Void, Never>?, ProcessStart) in
            state.group = ProcessGroup(id: pid)
            let start = ProcessStart(processID: pid, time: Date())
            guard state.stopReason != nil else { return (nil, start) }
            defer { state.stopWaiter = nil }
            return (state.stopWaiter, start)
        }
        logger.debug("process started", metadata: ["process.pid": "\(pid)", "process.command": "\(command)"])
        await deliver([.started(start)], waitForRoom: false)
        waiter?.resume()
    }

    private func pump(
        _ output: SubprocessOutputSequence,
        _ stream: ProcessOutputStream,
        redactor: SecretRedactor,
        maximumLineLength: Int
    ) async {
        var splitter = OutputLineSplitter(maximumLineLength: maximumLineLength)
        var events: [ProcessEvent] = []
        do {
            for try await chunk in output {
                let now = Date()
                chunk.withUnsafeBytes { bytes in
                    splitter.split(bytes) { line in
                        events.append(.output(ProcessOutputLine(stream: stream, text: redactor.string(from: line), time: now)))
                    }
                }
                await deliver(events, waitForRoom: true)
                events.removeAll(keepingCapacity: true)
            }
        } catch {
            logger.debug("reading process output failed", metadata: ["process.stream": "\(stream.rawValue)", "error": "\(error)"])
        }
        let now = Date()
        splitter.finish { line in
            events.append(.output(ProcessOutputLine(stream: stream, text: redactor.string(from: line), time: now)))
        }
        await deliver(events, waitForRoom: false)
    }

    /// Waits for a stop request, then walks the stop sequence until the child is gone.
    private func controlStops() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.exited || (state.stopReason != nil && state.group != nil) { return true }
                state.stopWaiter = continuation
                return false
            }
            if ready { continuation.resume() }
        }
        let policy = command.stopPolicy
        let steps: [(Int32, Duration)] = [
            (SIGINT, policy.interruptGracePeriod),
            (SIGTERM, policy.terminateGracePeriod),
            (SIGKILL, .zero),
        ]
        for (signal, grace) in steps {
            let sent = state.withLock { state -> (ProcessGroup, ProcessStopReason)? in
                guard !state.exited, let group = state.group, let reason = state.stopReason else { return nil }
                // Sent while holding the lock that `exited` is set under, so a signal never goes
                // to a group whose leader has already been collected.
                return group.send(signal) ? (group, reason) : nil
            }
            guard let (group, reason) = sent else { return }
            logger.debug("stop signal sent", metadata: ["process.pgid": "\(group.id)", "signal": "\(SignalName.of(signal))"])
            let record = ProcessSignalRecord(signal: signal, name: SignalName.of(signal), reason: reason, time: Date())
            await deliver([.signalSent(record)], waitForRoom: false)
            guard grace > .zero else { return }
            do {
                try await Task.sleep(for: grace)
            } catch {
                return
            }
        }
    }

    /// Stops processes that stayed in the child's group after the child itself ended.
    private func stopLeftovers() async {
        guard let group = state.withLock({ $0.group }), group.isAlive else { return }
        logger.debug("stopping leftover processes", metadata: ["process.pgid": "\(group.id)"])
        group.send(SIGTERM)
        if await Self.waitUntilGone(group, within: command.stopPolicy.leftoverGracePeriod) { return }
        group.send(SIGKILL)
        _ = await Self.waitUntilGone(group, within: .seconds(2))
    }

    private static func waitUntilGone(_ group: ProcessGroup, within limit: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        while group.isAlive {
            if clock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    private static func describe(_ error: any Error, executable: String, command: ProcessCommand) -> ProcessError {
        if let subprocessError = error as? SubprocessError {
            switch subprocessError.code {
            case .executableNotFound:
                return ProcessError(.executableNotFound, "cannot start \(executable): no such program")
            case .failedToChangeWorkingDirectory:
                return ProcessError(
                    .workingDirectoryUnavailable,
                    "cannot start \(executable): cannot enter working directory \(command.workingDirectory ?? ".")"
                )
            default:
                return ProcessError(.spawnFailed, "cannot start \(executable): \(subprocessError)")
            }
        }
        return ProcessError(.spawnFailed, "cannot start \(executable): \(error)")
    }
}
