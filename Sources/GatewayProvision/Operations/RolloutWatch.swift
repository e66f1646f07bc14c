/// The decisions of following one instance refresh, without I/O or a clock of its own: each look at
/// the refresh and the target health goes in (with the time it was taken), and what to do comes
/// out. ``RolloutController`` carries the decisions out: it reports the events, asks Auto Scaling
/// to roll back, and sleeps between looks.
///
/// The rules: a final refresh status ends the watch (`Successful`, `Cancelled`,
/// `RollbackSuccessful`, `RollbackFailed`, `Failed`); while the refresh runs, each look whose healthy
/// share is below the bar counts, a look at or above it resets the count, and with `healthRollback`
/// the count reaching `unhealthyPollsBeforeRollback` asks for one rollback (never a second); the
/// reason of that rollback is the outcome's reason once Auto Scaling reports it done. A watch whose
/// deadline passes gives up with the last status seen.
struct RolloutWatch: Sendable {
    /// What one look decides.
    struct Decision: Sendable, Equatable {
        /// To report, in order.
        var events: [RolloutEvent] = []
        /// Ask Auto Scaling to roll the refresh back, for this reason.
        var rollBack: String?
        /// The watch is over with this outcome; nil: look again after the poll interval.
        var end: Ending?
    }

    /// How a watch ended.
    struct Ending: Sendable, Equatable {
        var outcome: RolloutResult.Outcome
        var reason: String?
    }

    let refreshID: String
    let desiredCapacity: Int
    let minimumHealthyPercent: Int
    let unhealthyPollsBeforeRollback: Int
    let healthRollback: Bool
    let timeout: Duration
    let deadline: ContinuousClock.Instant

    /// Looks in a row whose healthy share was below the bar.
    private(set) var consecutiveBelowBar = 0
    /// Why the watch asked for a rollback, once it did.
    private(set) var rollbackReason: String?
    /// The refresh status of the last look.
    private(set) var lastStatus = "Pending"

    /// A watch of `refreshID` over a group of `desiredCapacity` instances, started at `start`.
    init(refreshID: String, desiredCapacity: Int, options: RolloutOptions, healthRollback: Bool, start: ContinuousClock.Instant) {
        self.refreshID = refreshID
        self.desiredCapacity = desiredCapacity
        self.minimumHealthyPercent = options.minHealthyPercentage
        self.unhealthyPollsBeforeRollback = options.unhealthyPollsBeforeRollback
        self.healthRollback = healthRollback
        self.timeout = options.timeout
        self.deadline = start + options.timeout
    }

    /// The ending of a watch whose deadline has passed at `now`, or nil while there is time to look.
    func expired(at now: ContinuousClock.Instant) -> Ending? {
        guard now >= deadline else { return nil }
        return Ending(outcome: .failed, reason: "gave up watching after \(timeout) with the refresh \(lastStatus); it goes on in AWS: see the rollout status")
    }

    /// One look at the refresh and the target health.
    struct Look: Sendable, Equatable {
        /// The refresh's status as Auto Scaling reports it.
        var status: String
        var statusReason: String? = nil
        var percentComplete: Int? = nil
        /// Targets of the group's target group that are healthy.
        var healthyTargets: Int
    }

    /// A look that found Auto Scaling no longer knowing the refresh.
    func refreshMissing() -> Decision {
        Decision(end: Ending(outcome: .failed, reason: "instance refresh \(refreshID) is not known to Auto Scaling any more"))
    }

    /// One look at the refresh and the health.
    mutating func observe(_ refresh: Look) -> Decision {
        let healthy = refresh.healthyTargets
        lastStatus = refresh.status
        var decision = Decision(events: [
            .progress(status: refresh.status, percentComplete: refresh.percentComplete, healthyTargets: healthy, desiredCapacity: desiredCapacity, reason: refresh.statusReason)
        ])
        switch refresh.status {
        case "Successful":
            decision.end = Ending(outcome: .succeeded)
        case "Cancelled":
            decision.end = Ending(outcome: .cancelled, reason: refresh.statusReason ?? "cancelled")
        case "RollbackSuccessful":
            decision.end = Ending(outcome: .rolledBack, reason: rollbackReason ?? refresh.statusReason ?? "Auto Scaling rolled the refresh back")
        case "RollbackFailed":
            decision.end = Ending(outcome: .failed, reason: "rollback failed: \(refresh.statusReason ?? "no reason given")")
        case "Failed":
            decision.end = Ending(outcome: .failed, reason: refresh.statusReason)
        case "Pending", "InProgress", "Baking":
            let percent = healthy * 100 / max(desiredCapacity, 1)
            if percent < minimumHealthyPercent {
                consecutiveBelowBar += 1
                decision.events.append(.healthBelowBar(healthyPercent: percent, minimum: minimumHealthyPercent, consecutive: consecutiveBelowBar))
            } else {
                consecutiveBelowBar = 0
            }
            if healthRollback, rollbackReason == nil, consecutiveBelowBar >= unhealthyPollsBeforeRollback {
                let reason = "healthy targets stayed below \(minimumHealthyPercent)% (\(healthy) of \(desiredCapacity)) for \(consecutiveBelowBar) checks"
                rollbackReason = reason
                decision.events.append(.rollingBack(reason: reason))
                decision.rollBack = reason
            }
        default:
            break  // Cancelling, RollbackInProgress: keep watching
        }
        return decision
    }
}
