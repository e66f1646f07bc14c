import Foundation
import GatewayCore

// The terraform runs: plan, apply, destroy, outputs, and their steps.
extension DeploymentOperations {
    // MARK: - Plan

    /// Renders the bundle and saves a terraform plan for review: of the changes (apply it with
    /// ``apply(_:onEvent:)`` and ``ApplySelection/savedPlan(runID:)``), or of destroying every
    /// resource (apply it with ``destroy(_:onEvent:)`` and ``DestroySelection/savedPlan(runID:)``).
    ///
    /// - Parameters:
    ///   - amiID: The AMI to deploy; `nil` resolves it (last AMI build or rollout, then the
    ///     config, then the newest image built for the deployment in AWS). Not used by destroy plans.
    ///   - mode: What to plan.
    ///   - onEvent: Receives every event of the run.
    /// - Returns: The plan run's record (``RunRecord/planSummary`` says what the plan does).
    /// - Throws: ``ProvisionError`` when the run cannot start
    ///   (``ProvisionError/Code/deletionProtected`` for a destroy plan of a protected deployment).
    public func plan(amiID: String? = nil, mode: PlanMode = .apply, onEvent: @escaping RunEventHandler = { _ in }) async throws -> RunRecord {
        if mode == .destroy { try refuseDestroyWhileProtected() }
        let context = try prepare()
        switch mode {
        case .apply:
            let image = try await ImageResolver.resolve(explicit: amiID, workspace: workspace, config: config, environment: environment)
            return try await perform(.plan, context: context, onEvent: onEvent) { session in
                session.update { record in
                    record.planMode = .apply
                    record.amiID = image.amiID
                    record.amiSource = image.source
                }
                session.notice("deploying AMI \(image.amiID) (from \(image.source))")
                return await planSteps(session, context: context, variables: [ImageResolver.terraformVariable: image.amiID], mode: .apply, applyAfterwards: false)
            }
        case .destroy:
            let variables = destroyVariables()
            return try await perform(.plan, context: context, onEvent: onEvent) { session in
                session.update { $0.planMode = .destroy }
                session.notice("planning the destruction of every resource of deployment \(workspace.name)")
                return await planSteps(session, context: context, variables: variables, mode: .destroy, applyAfterwards: false)
            }
        }
    }

    // MARK: - Apply

    /// Applies a reviewed saved plan, or plans and applies at once.
    ///
    /// A saved plan is refused when it was made from a different config (config hash), when the
    /// state changed since (stale plan), when it failed, or when it has no changes.
    ///
    /// - Throws: ``ProvisionError`` when the run cannot start (``ProvisionError/Code/planRejected``
    ///   for a refused plan).
    public func apply(_ selection: ApplySelection, onEvent: @escaping RunEventHandler = { _ in }) async throws -> RunRecord {
        let context = try prepare()
        switch selection {
        case .autoApprove(let amiID):
            let image = try await ImageResolver.resolve(explicit: amiID, workspace: workspace, config: config, environment: environment)
            return try await perform(.apply, context: context, onEvent: onEvent) { session in
                session.update { record in
                    record.amiID = image.amiID
                    record.amiSource = image.source
                }
                session.notice("deploying AMI \(image.amiID) (from \(image.source)); plan and apply without review (auto-approve)")
                return await planSteps(session, context: context, variables: [ImageResolver.terraformVariable: image.amiID], mode: .apply, applyAfterwards: true)
            }
        case .savedPlan(let planID):
            return try await applyReviewed(planID, mode: .apply, context: context, onEvent: onEvent) { plan in
                "applying plan \(plan.id): \(plan.planSummary?.headline ?? "changes")"
            }
        }
    }

    // MARK: - Destroy

    /// Destroys every resource of the deployment: a reviewed destroy plan (see
    /// ``plan(amiID:mode:onEvent:)``), or at once after the typed confirmation.
    ///
    /// A saved destroy plan is refused like a saved plan of changes (other config, stale state,
    /// failed, no changes) and when it is not a destroy plan.
    ///
    /// - Throws: ``ProvisionError`` when the confirmation does not name the deployment, the plan is
    ///   refused, the applied config protects the load balancer from deletion
    ///   (``ProvisionError/Code/deletionProtected``) or the run cannot start.
    public func destroy(_ selection: DestroySelection, onEvent: @escaping RunEventHandler = { _ in }) async throws -> RunRecord {
        try refuseDestroyWhileProtected()
        let context = try prepare()
        switch selection {
        case .savedPlan(let planID):
            return try await applyReviewed(planID, mode: .destroy, context: context, onEvent: onEvent) { plan in
                "applying destroy plan \(plan.id): \(plan.planSummary?.deletes.count ?? 0) resources to destroy"
            }
        case .autoApprove(let confirmation):
            guard confirmation == workspace.name else {
                throw ProvisionError(
                    .invalidArgument,
                    "destroying deployment \(workspace.name) without a reviewed plan needs its name as confirmation"
                        + (confirmation.isEmpty ? "" : " (got \(confirmation))"))
            }
            let variables = destroyVariables()
            return try await perform(.destroy, context: context, onEvent: onEvent) { session in
                guard let terraform = context.terraform else { return session.finish(.failed, "terraform is not configured") }
                guard await render(session), await recordTerraformVersion(session, context.terraform),
                    await initialize(session, context.terraform)
                else { return session.current.status.isFinal ? session.current : session.finish(.failed, "destroy did not start") }
                if Task.isCancelled { return session.finish(.canceled, "canceled before terraform destroy") }
                session.notice("destroying without a reviewed plan (auto-approve, confirmed)")
                guard let outcome = session.succeeded(await session.runTerraform(.terraformDestroy, terraform.destroy(variables: variables)), "terraform destroy") else {
                    return session.current
                }
                let removed = outcome.changeSummary.map { "\($0.remove) destroyed" } ?? "done"
                return session.finish(.succeeded, "destroyed deployment \(workspace.name): \(removed)")
            }
        }
    }

    /// AWS refuses to delete a load balancer with deletion protection on; terraform would destroy
    /// everything else first and stop there. The applied config (what AWS has) decides: the file's
    /// setting takes effect only once applied.
    private func refuseDestroyWhileProtected() throws {
        guard let applied = try? ConfigLoader.load(file: workspace.appliedConfigURL.path).config,
            applied.loadBalancer.deletionProtection
        else { return }
        throw ProvisionError(
            .deletionProtected,
            "deployment \(workspace.name)'s load balancer has deletion protection on (loadBalancer.deletionProtection in the applied config): AWS refuses to delete it, so a destroy would remove everything else and stop there, half done; set loadBalancer.deletionProtection to false, apply, then destroy"
        )
    }

    /// The variables a destroy needs: the AMI of the last successful apply (or the one a plan
    /// would deploy), since the root module requires one even to destroy.
    private func destroyVariables() -> [String: String] {
        let amiID =
            workspace.records().last { $0.action == .apply && $0.status == .succeeded }?.amiID
            ?? (try? ImageResolver.resolveLocally(explicit: nil, workspace: workspace, config: config))??.amiID
        return amiID.map { [ImageResolver.terraformVariable: $0] } ?? [:]
    }

    // MARK: - Outputs

    /// The deployment's terraform outputs (`terraform output -json`).
    ///
    /// - Throws: ``ProvisionError`` when there is no state yet or terraform fails.
    public func outputs() async throws -> [String: TerraformOutput] {
        let context = try prepare()
        guard let terraform = context.terraform else { return [:] }
        if config.state.kind == .local, !FileManager.default.fileExists(atPath: workspace.stateFileURL.path) {
            throw ProvisionError(.notFound, "deployment \(workspace.name) has no state yet: apply it first")
        }
        guard FileManager.default.fileExists(atPath: workspace.terraformDirectory.path) else {
            throw ProvisionError(.notFound, "deployment \(workspace.name) has no terraform project yet: plan and apply it first")
        }
        return try await terraform.outputs()
    }

    // MARK: - Steps

    /// Applies the reviewed saved plan `planID` (of `mode`) as an apply or destroy run; the plan is
    /// checked while the lock is held, before the run starts.
    private func applyReviewed(
        _ planID: String, mode: PlanMode, context: Context, onEvent: @escaping RunEventHandler,
        notice: @escaping @Sendable (RunRecord) -> String
    ) async throws -> RunRecord {
        try await perform(
            mode == .destroy ? .destroy : .apply, context: context, onEvent: onEvent,
            precheck: {
                try checkSavedPlan(planID, mode: mode, fingerprint: context.fingerprint)
            }
        ) { session, plan in
            session.update { record in
                record.planRunID = plan.id
                record.planSummary = plan.planSummary
                record.stateDigest = plan.stateDigest
                if mode == .apply {
                    record.amiID = plan.amiID
                    record.amiSource = plan.amiSource
                }
            }
            session.notice(notice(plan))
            return await applySavedPlan(session, context: context, planFile: workspace.planFileURL(plan.id).path)
        }
    }

    private func prepare() throws -> Context {
        let tool = try TerraformTool.locate(environment: environment)
        let tools = try ToolEnvironment(config: config, parent: environment)
        let state: TerraformStateLocation = config.state.kind == .local ? .localFile(workspace.stateFileURL.path) : .configuredBackend
        let driver = TerraformDriver(
            tool: tool,
            configurationDirectory: workspace.terraformDirectory.path,
            state: state,
            environment: TerraformDriver.environment(
                from: environment, dataDirectory: workspace.terraformDataDirectory.path, additions: tools.additions),
            redactedValues: tools.redactedValues,
            stopPolicy: terraformStopPolicy,
            runner: runner
        )
        return Context(fingerprint: try ConfigFingerprint(config), terraform: driver)
    }

    private func planSteps(
        _ session: RunSession, context: Context, variables: [String: String], mode: PlanMode, applyAfterwards: Bool
    ) async -> RunRecord {
        guard let terraform = context.terraform else { return session.finish(.failed, "terraform is not configured") }
        guard await render(session), await recordTerraformVersion(session, terraform), await initialize(session, terraform) else {
            return session.current.status.isFinal ? session.current : session.finish(.failed, "the plan did not start")
        }
        if Task.isCancelled { return session.finish(.canceled, "canceled before terraform plan") }
        let planFile = workspace.planFileURL(session.id).path
        session.update { $0.stateDigest = stateDigest() }
        let planned = await session.runTerraform(.terraformPlan, terraform.plan(out: planFile, variables: variables, destroy: mode == .destroy))
        let outcome: RunSession.StepOutcome
        switch planned {
        case .failure(let error): return session.finish(.failed, error.message)
        case .success(let value): outcome = value
        }
        if outcome.canceled { return session.finish(.canceled, outcome.failureMessage("terraform plan")) }
        let result = TerraformPlanOutcome(outcome.exit)
        guard result != .failed else { return session.finish(.failed, outcome.failureMessage("terraform plan")) }
        chmod(planFile, 0o600)

        session.emit(.stepStarted) { event in
            event.step = .terraformShow
            event.command = "\(terraform.tool.path) show -json \(planFile)"
        }
        let summary: TerraformPlanSummary
        do {
            summary = try await terraform.show(planFile: planFile)
        } catch {
            if Task.isCancelled { return session.finish(.canceled, "canceled while reading the saved plan") }
            return session.finish(.failed, "reading the saved plan failed: \(error)")
        }
        session.update { record in
            record.planSummary = summary
            record.planHasChanges = result == .changes
        }
        session.emit(.planSummary) { $0.plan = summary }

        guard applyAfterwards else {
            let message =
                result == .changes
                ? (mode == .destroy ? "destroy plan: \(summary.deletes.count) resources to destroy" : "plan: \(summary.headline)")
                : (mode == .destroy ? "destroy plan: nothing to destroy" : "plan: no changes")
            return session.finish(.succeeded, message)
        }
        guard result == .changes else {
            try? FileManager.default.removeItem(atPath: planFile)
            // Nothing to change: what AWS has matches this config, which becomes the applied one.
            if mode == .apply { recordApplied(session.id) }
            return session.finish(.succeeded, "no changes to apply")
        }
        if Task.isCancelled { return session.finish(.canceled, "canceled before terraform apply") }
        return await applyPlanFile(session, terraform: terraform, planFile: planFile)
    }

    private func applySavedPlan(_ session: RunSession, context: Context, planFile: String) async -> RunRecord {
        guard let terraform = context.terraform else { return session.finish(.failed, "terraform is not configured") }
        guard await render(session), await recordTerraformVersion(session, terraform), await initialize(session, terraform) else {
            return session.current.status.isFinal ? session.current : session.finish(.failed, "the apply did not start")
        }
        if Task.isCancelled { return session.finish(.canceled, "canceled before terraform apply") }
        return await applyPlanFile(session, terraform: terraform, planFile: planFile)
    }

    private func applyPlanFile(_ session: RunSession, terraform: TerraformDriver, planFile: String) async -> RunRecord {
        let result = await session.runTerraform(.terraformApply, terraform.apply(planFile: planFile))
        // Once terraform ran, the plan is used up either way: applied, partly applied or stale.
        if case .success = result { try? FileManager.default.removeItem(atPath: planFile) }
        guard let outcome = session.succeeded(result, "terraform apply") else { return session.current }
        if session.current.action == .destroy {
            try? FileManager.default.removeItem(at: workspace.appliedConfigURL)
            let removed = outcome.changeSummary.map { "\($0.remove) destroyed" } ?? "done"
            return session.finish(.succeeded, "destroyed deployment \(workspace.name): \(removed)")
        }
        recordApplied(session.current.planRunID ?? session.id)
        let summary = outcome.changeSummary.map { "\($0.add) added, \($0.change) changed, \($0.remove) destroyed" } ?? "done"
        return session.finish(.succeeded, "applied: \(summary)")
    }

    /// The config of `runID` becomes the applied one: what AWS has now.
    private func recordApplied(_ runID: String) {
        try? WorkspaceFiles.write((try? Data(contentsOf: workspace.runConfigURL(runID))) ?? Data(), to: workspace.appliedConfigURL)
    }

    private func recordTerraformVersion(_ session: RunSession, _ terraform: TerraformDriver?) async -> Bool {
        guard let terraform else { return true }
        do {
            let version = try await terraform.version()
            session.update { $0.toolVersions["terraform"] = version }
            return true
        } catch {
            _ =
                Task.isCancelled
                ? session.finish(.canceled, "canceled before terraform init")
                : session.finish(.failed, "terraform does not work: \(error)")
            return false
        }
    }

    private func initialize(_ session: RunSession, _ terraform: TerraformDriver?) async -> Bool {
        guard let terraform else { return true }
        if Task.isCancelled {
            _ = session.finish(.canceled, "canceled before terraform init")
            return false
        }
        guard session.succeeded(await session.runTerraform(.terraformInit, terraform.initialize()), "terraform init") != nil else { return false }
        let lockFile = workspace.terraformDirectory.appendingPathComponent(".terraform.lock.hcl")
        if let data = FileManager.default.contents(atPath: lockFile.path) {
            try? WorkspaceFiles.write(data, to: workspace.providerLockCopyURL, permissions: 0o644)
        }
        return true
    }

    /// SHA-256 of the local state file (`absent` when there is none); with a configured backend
    /// terraform itself refuses stale plans, so there is nothing to compare here.
    private func stateDigest() -> String? {
        guard config.state.kind == .local else { return nil }
        guard let data = FileManager.default.contents(atPath: workspace.stateFileURL.path) else { return "absent" }
        return SHA256Digest.hex(data)
    }

    private func checkSavedPlan(_ planID: String, mode: PlanMode, fingerprint: ConfigFingerprint) throws -> RunRecord {
        let plan = try workspace.record(planID)
        guard plan.action == .plan else {
            throw ProvisionError(.planRejected, "run \(planID) is a \(plan.action.rawValue) run, not a plan; the list of runs shows the plans")
        }
        let planned = plan.planMode ?? .apply
        guard planned == mode else {
            throw ProvisionError(
                .planRejected,
                planned == .destroy
                    ? "plan \(planID) is a destroy plan: it can only be applied by destroy"
                    : "plan \(planID) is a plan of changes, not a destroy plan; make a destroy plan and review it")
        }
        guard plan.status == .succeeded else {
            throw ProvisionError(.planRejected, "plan \(planID) did not succeed (it \(plan.status.rawValue)); make a new plan")
        }
        guard plan.planHasChanges == true else {
            throw ProvisionError(.planRejected, "plan \(planID) has no changes: there is nothing to apply")
        }
        guard plan.configHash == fingerprint.hash else {
            throw ProvisionError(
                .planRejected,
                "plan \(planID) was made from a different config (config \(plan.configHash.prefix(12)), now \(fingerprint.shortHash)); make and review a new plan"
            )
        }
        if let digest = plan.stateDigest, digest != stateDigest() {
            let changer = workspace.records().last {
                ($0.action == .apply || $0.action == .destroy) && $0.startTime > plan.startTime && $0.status != .running
            }
            throw ProvisionError(
                .planRejected,
                "plan \(planID) is stale: the state changed since it was made"
                    + (changer.map { " (by \($0.action.rawValue) run \($0.id))" } ?? "")
                    + "; make and review a new plan"
            )
        }
        guard FileManager.default.fileExists(atPath: workspace.planFileURL(planID).path) else {
            throw ProvisionError(.planRejected, "the saved plan of run \(planID) is gone (plans are removed once applied); make a new plan")
        }
        return plan
    }
}
