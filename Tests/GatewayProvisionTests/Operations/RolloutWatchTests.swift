import GatewayCore
import Testing

@testable import GatewayProvision

/// The rollout watch's decisions as a pure function of looks and time: no AWS, no sleeps. (The
/// rollout against moto, `RolloutTests`, drives the same watch through `RolloutController`.)
@Suite("Rollout watch decisions")
struct RolloutWatchTests {
    static let start = ContinuousClock.now

    /// A watch of a group of 4 with a 75% bar, rollback after 3 looks below it, a 1-hour timeout.
    static func watch(healthRollback: Bool = true) -> RolloutWatch {
        var config = GatewayConfig()
        config.rollout.minHealthyPercentage = 75
        let options = RolloutOptions(config: config, imageID: "ami-0123456789abcdef0", unhealthyPollsBeforeRollback: 3, timeout: .seconds(3600))
        return RolloutWatch(refreshID: "r-1", desiredCapacity: 4, options: options, healthRollback: healthRollback, start: start)
    }

    static func look(_ status: String, healthy: Int = 4, reason: String? = nil) -> RolloutWatch.Look {
        .init(status: status, statusReason: reason, percentComplete: 50, healthyTargets: healthy)
    }

    @Test("Each final status ends the watch with its outcome; a running one goes on")
    func finalStatuses() {
        let cases: [(String, RolloutResult.Outcome?, String?)] = [
            ("Successful", .succeeded, nil),
            ("Cancelled", .cancelled, "user asked"),
            ("RollbackSuccessful", .rolledBack, "user asked"),
            ("RollbackFailed", .failed, "rollback failed: user asked"),
            ("Failed", .failed, "user asked"),
            ("Pending", nil, nil), ("InProgress", nil, nil), ("Baking", nil, nil), ("Cancelling", nil, nil), ("RollbackInProgress", nil, nil),
        ]
        for (status, outcome, reason) in cases {
            var watch = Self.watch()
            let decision = watch.observe(Self.look(status, reason: "user asked"))
            #expect(decision.end?.outcome == outcome, "\(status)")
            if outcome != nil { #expect(decision.end?.reason == reason, "\(status)") }
            #expect(decision.rollBack == nil)
            #expect(decision.events.first == .progress(status: status, percentComplete: 50, healthyTargets: 4, desiredCapacity: 4, reason: "user asked"))
            #expect(watch.lastStatus == status)
        }
        #expect(Self.watch().refreshMissing().end == .init(outcome: .failed, reason: "instance refresh r-1 is not known to Auto Scaling any more"))
    }

    @Test("Three looks below the bar in a row roll back once; a healthy look resets the count; the rollback's reason ends the watch")
    func healthRollback() {
        var watch = Self.watch()
        // 2 of 4 healthy is 50%: below the 75% bar; 3 of 4 is on the bar.
        #expect(watch.observe(Self.look("InProgress", healthy: 2)).events.last == .healthBelowBar(healthyPercent: 50, minimum: 75, consecutive: 1))
        #expect(watch.observe(Self.look("InProgress", healthy: 2)).rollBack == nil)
        #expect(watch.observe(Self.look("InProgress", healthy: 3)).events.count == 1, "on the bar: no below-bar event")
        #expect(watch.consecutiveBelowBar == 0)
        _ = watch.observe(Self.look("InProgress", healthy: 1))
        _ = watch.observe(Self.look("Baking", healthy: 0))
        let third = watch.observe(Self.look("InProgress", healthy: 1))
        let reason = "healthy targets stayed below 75% (1 of 4) for 3 checks"
        #expect(third.rollBack == reason)
        #expect(third.events.last == .rollingBack(reason: reason))
        #expect(third.end == nil)
        // Still below the bar while Auto Scaling rolls back: no second request.
        #expect(watch.observe(Self.look("InProgress", healthy: 0)).rollBack == nil)
        #expect(watch.observe(Self.look("RollbackInProgress", healthy: 0)).rollBack == nil)
        #expect(watch.observe(Self.look("RollbackSuccessful", reason: "rolled back by request")).end == .init(outcome: .rolledBack, reason: reason))
    }

    @Test("Without health rollback the watch only reports; a zero desired capacity cannot divide by zero")
    func reportOnly() {
        var watch = Self.watch(healthRollback: false)
        for _ in 0..<10 { #expect(watch.observe(Self.look("InProgress", healthy: 0)).rollBack == nil) }
        #expect(watch.consecutiveBelowBar == 10)
        var options = RolloutOptions(config: GatewayConfig(), imageID: "ami-0123456789abcdef0")
        options.minHealthyPercentage = 0
        var empty = RolloutWatch(refreshID: "r-2", desiredCapacity: 0, options: options, healthRollback: true, start: Self.start)
        #expect(empty.observe(Self.look("InProgress", healthy: 0)).end == nil)
    }

    @Test("The deadline is a time given to the watch: before it there is time, at it the watch gives up with the last status")
    func deadline() {
        var watch = Self.watch()
        #expect(watch.expired(at: Self.start) == nil)
        #expect(watch.expired(at: Self.start + .seconds(3599)) == nil)
        _ = watch.observe(Self.look("Baking"))
        #expect(
            watch.expired(at: Self.start + .seconds(3600))
                == .init(outcome: .failed, reason: "gave up watching after 3600.0 seconds with the refresh Baking; it goes on in AWS: see the rollout status"))
    }
}
