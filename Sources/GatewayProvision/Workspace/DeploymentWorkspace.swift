import Foundation
import GatewayCore

/// One deployment's directory in the workspace root:
///
/// ```
/// deployments/<name>/
///   config.json          the config as last applied (secrets as references only)
///   bundle/              the rendered bundle (terraform/, packer/, node/)
///   state/               terraform state, terraform's data directory, the provider lock file
///   plans/<run>.tfplan   saved plans, owner-only
///   runs/<run>/          run.json (the record), events.jsonl (the event log), config.json
///   lock                 held (flock) by the process running a run
/// ```
public struct DeploymentWorkspace: Sendable, Equatable {
    /// The deployment's name.
    public let name: String
    /// The deployment's directory.
    public let directory: URL
    /// The workspace root it belongs to.
    public let root: WorkspaceRoot

    init(root: WorkspaceRoot, name: String) throws {
        guard Self.isValidName(name) else {
            throw ProvisionError(
                .invalidArgument,
                "\"\(name)\" cannot name a deployment workspace: use lowercase letters, digits and dashes (project.name and project.environment)"
            )
        }
        self.root = root
        self.name = name
        self.directory = root.deploymentsDirectory.appendingPathComponent(name, isDirectory: true)
    }

    /// `true` for names usable as a deployment directory: lowercase letters, digits and dashes.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first.isNumber, name.count <= 64 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
    }

    // MARK: - Paths

    /// The config as last applied.
    public var appliedConfigURL: URL { directory.appendingPathComponent("config.json", isDirectory: false) }
    /// The rendered bundle.
    public var bundleDirectory: URL { directory.appendingPathComponent("bundle", isDirectory: true) }
    /// The terraform project inside the bundle.
    public var terraformDirectory: URL { bundleDirectory.appendingPathComponent("terraform", isDirectory: true) }
    /// The packer template directory inside the bundle.
    public var packerDirectory: URL { bundleDirectory.appendingPathComponent("packer", isDirectory: true) }
    /// State, terraform's data directory and the saved provider lock file.
    public var stateDirectory: URL { directory.appendingPathComponent("state", isDirectory: true) }
    /// The local terraform state file.
    public var stateFileURL: URL { stateDirectory.appendingPathComponent("terraform.tfstate", isDirectory: false) }
    /// terraform's data directory (`TF_DATA_DIR`): providers and backend settings.
    public var terraformDataDirectory: URL { stateDirectory.appendingPathComponent("terraform-data", isDirectory: true) }
    /// The copy of terraform's dependency lock file that survives rendering again.
    public var providerLockCopyURL: URL { stateDirectory.appendingPathComponent("terraform.lock.hcl", isDirectory: false) }
    /// Saved plans.
    public var plansDirectory: URL { directory.appendingPathComponent("plans", isDirectory: true) }
    /// Run records and logs.
    public var runsDirectory: URL { directory.appendingPathComponent("runs", isDirectory: true) }
    var lockURL: URL { directory.appendingPathComponent("lock", isDirectory: false) }

    /// The saved plan of plan run `id`.
    public func planFileURL(_ id: String) -> URL { plansDirectory.appendingPathComponent("\(id).tfplan", isDirectory: false) }
    /// The directory of run `id`.
    public func runDirectory(_ id: String) -> URL { runsDirectory.appendingPathComponent(id, isDirectory: true) }
    /// The record of run `id`.
    public func recordURL(_ id: String) -> URL { runDirectory(id).appendingPathComponent("run.json", isDirectory: false) }
    /// The event log of run `id`.
    public func eventLogURL(_ id: String) -> URL { runDirectory(id).appendingPathComponent("events.jsonl", isDirectory: false) }
    /// The config run `id` used.
    public func runConfigURL(_ id: String) -> URL { runDirectory(id).appendingPathComponent("config.json", isDirectory: false) }
    /// The file whose presence asks the owner of run `id` to cancel it.
    public func cancelRequestURL(_ id: String) -> URL { runDirectory(id).appendingPathComponent("cancel-requested", isDirectory: false) }

    func createDirectories() throws {
        for url in [directory, stateDirectory, plansDirectory, runsDirectory] {
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw ProvisionError(.workspace, "cannot create \(url.path): \(error.localizedDescription)")
            }
        }
    }

    // MARK: - Runs

    /// The record of run `id`.
    ///
    /// - Throws: ``ProvisionError`` when there is no such run or its record is unreadable.
    public func record(_ id: String) throws -> RunRecord {
        guard RunID.isValid(id) else {
            throw ProvisionError(.invalidArgument, "\(id) is not a run ID (they look like 20261127T095018Z-3fa2c1; the list of runs shows them)")
        }
        guard let data = FileManager.default.contents(atPath: recordURL(id).path) else {
            throw ProvisionError(.notFound, "deployment \(name) has no run \(id); the list of runs shows them")
        }
        do {
            return try WorkspaceCoding.decoder.decode(RunRecord.self, from: data)
        } catch {
            throw ProvisionError(.workspace, "the record \(recordURL(id).path) is unreadable: \(error)")
        }
    }

    /// Every run's record, oldest first. Unreadable records are skipped.
    public func records() -> [RunRecord] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory.path)) ?? []
        return ids.filter(RunID.isValid).sorted().compactMap { try? record($0) }
    }

    func save(_ record: RunRecord) throws {
        try WorkspaceFiles.writeJSON(record, to: recordURL(record.id))
    }

    /// The event log of run `id`.
    public func eventLog(_ id: String) -> RunEventLogReader {
        RunEventLogReader(url: eventLogURL(id))
    }

    /// Who holds the deployment's lock now, if anyone does.
    public func lockHolder() -> LockHolder? {
        guard let holder = DeploymentLock.holder(at: lockURL), holder.owner.isAlive else { return nil }
        return holder
    }

    /// Asks the process running run `id` to cancel it. The owner notices within a fraction of a
    /// second, stops its tool gracefully and records the run as canceled.
    ///
    /// - Throws: ``ProvisionError`` when the run does not exist or is not running.
    public func requestCancel(_ id: String) throws {
        let record = try record(id)
        guard record.status == .running else {
            throw ProvisionError(.invalidArgument, "run \(id) is not running (it \(record.status.rawValue))")
        }
        try WorkspaceFiles.write(Data("\(ProcessIdentity.current.processID)\n".utf8), to: cancelRequestURL(id))
    }

    /// Whether someone asked to cancel run `id`.
    public func isCancelRequested(_ id: String) -> Bool {
        FileManager.default.fileExists(atPath: cancelRequestURL(id).path)
    }

    // MARK: - Locking and recovery

    /// Takes the deployment's lock for a new run, after marking runs whose owner died as interrupted.
    ///
    /// - Returns: The lock and the runs that were found interrupted.
    /// - Throws: ``ProvisionError`` (``ProvisionError/Code/busy``) naming the running run.
    func lockForRun() async throws -> (DeploymentLock, [RunRecord]) {
        guard let lock = try DeploymentLock.acquire(at: lockURL) else {
            throw busyError()
        }
        let recovered = await recoverAbandonedRuns(lockHeld: true)
        return (lock, recovered)
    }

    /// Marks runs left `running` by a process that died as interrupted, stopping any tool process
    /// group they left behind. Called by every command that opens the deployment.
    ///
    /// - Returns: The runs that were found interrupted.
    @discardableResult
    public func recoverInterruptedRuns() async -> [RunRecord] {
        if let lock = try? DeploymentLock.acquire(at: lockURL) {
            defer { lock.release() }
            return await recoverAbandonedRuns(lockHeld: true)
        }
        return await recoverAbandonedRuns(lockHeld: false)
    }

    private func recoverAbandonedRuns(lockHeld: Bool) async -> [RunRecord] {
        var recovered: [RunRecord] = []
        for var record in records() where record.status == .running {
            // With the lock held nobody else runs anything, so every "running" record is
            // abandoned; without it, only those whose owner is gone.
            guard lockHeld || !record.owner.isAlive else { continue }
            var message = "interrupted: its process \(record.owner.processID) ended without finishing the run"
            if let tool = record.toolProcess {
                message += await OrphanedToolStopper.stop(tool)
            }
            // Another command may have recovered it meanwhile.
            guard (try? self.record(record.id))?.status == .running else { continue }
            record.status = .interrupted
            record.endTime = Date()
            record.toolProcess = nil
            record.message = message
            // The last event first, then the final record (see `RunSession.finish`).
            if let writer = try? RunEventLogWriter(url: eventLogURL(record.id)) {
                var event = RunEvent(run: record.id, type: .runFinished)
                event.status = .interrupted
                event.message = message
                writer.append(event)
            }
            guard (try? save(record)) != nil else { continue }
            recovered.append(record)
        }
        return recovered
    }

    private func busyError() -> ProvisionError {
        guard let holder = DeploymentLock.holder(at: lockURL) else {
            return ProvisionError(.busy, "deployment \(name) is busy: another run is starting; try again in a moment")
        }
        let started = holder.startTime.formatted(Date.ISO8601FormatStyle())
        return ProvisionError(
            .busy,
            "deployment \(name) is busy: run \(holder.runID) (\(holder.action.rawValue)) started \(started) by process \(holder.owner.processID) on \(holder.owner.host); wait for it, or cancel run \(holder.runID)"
        )
    }
}
