/// How a child's process group is stopped when its run is cancelled or times out.
///
/// The group first receives SIGINT (what a terminal's Ctrl-C sends; terraform reacts by finishing
/// the resource operations in flight, writing state and releasing its state lock), then SIGTERM
/// after ``interruptGracePeriod``, then SIGKILL after ``terminateGracePeriod``.
/// Only the run's own process group is ever signalled.
public struct ProcessStopPolicy: Sendable, Equatable {
    /// How long the group has to exit after SIGINT before it gets SIGTERM.
    public var interruptGracePeriod: Duration
    /// How long the group has to exit after SIGTERM before it gets SIGKILL.
    public var terminateGracePeriod: Duration
    /// How long processes that remain in the group after its leader exited get after SIGTERM before
    /// SIGKILL. They are stopped whether the run ended normally or was stopped, so a run never
    /// leaves processes behind.
    public var leftoverGracePeriod: Duration

    /// Creates a stop policy.
    ///
    /// - Parameters:
    ///   - interruptGracePeriod: Time between SIGINT and SIGTERM. Default: 30 seconds.
    ///   - terminateGracePeriod: Time between SIGTERM and SIGKILL. Default: 10 seconds.
    ///   - leftoverGracePeriod: Time leftover group members get between SIGTERM and SIGKILL. Default: 2 seconds.
    public init(
        interruptGracePeriod: Duration = .seconds(30),
        terminateGracePeriod: Duration = .seconds(10),
        leftoverGracePeriod: Duration = .seconds(2)
    ) {
        self.interruptGracePeriod = interruptGracePeriod
        self.terminateGracePeriod = terminateGracePeriod
        self.leftoverGracePeriod = leftoverGracePeriod
    }

    /// SIGINT, 30 s, SIGTERM, 10 s, SIGKILL.
    public static let standard = ProcessStopPolicy()
}
