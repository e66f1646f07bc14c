/// How far an apply or destroy has come: resources finished out of the resources planned.
public struct ResourceProgress: Sendable, Equatable, Codable {
    /// Resources whose planned operations have all finished.
    public var done: Int
    /// Resources with a planned operation.
    public var total: Int
    /// Resources whose operation failed.
    public var failed: Int
    /// The most recently started resource that has not finished yet.
    public var current: String?

    /// Creates a progress value.
    public init(done: Int, total: Int, failed: Int, current: String?) {
        self.done = done
        self.total = total
        self.failed = failed
        self.current = current
    }
}

/// Follows terraform's UI events and counts finished resources, so fronts can show "12/57 resources".
///
/// The planned changes at the start of an apply give the total. A replaced resource is reported as
/// two operations (destroy and create) and counts as done after both.
public struct ResourceProgressTracker: Sendable {
    private var expected: [String: Int] = [:]
    private var completed: [String: Int] = [:]
    private var failed: Set<String> = []
    private var inFlight: [String] = []
    private var done = 0

    /// Creates an empty tracker.
    public init() {}

    /// The progress so far.
    public var progress: ResourceProgress {
        ResourceProgress(done: done, total: expected.count, failed: failed.count, current: inFlight.last)
    }

    /// Takes one event into account; returns the new progress when it changed.
    public mutating func consume(_ event: TerraformUIEvent) -> ResourceProgress? {
        let before = progress
        switch event.type {
        case .plannedChange:
            guard let change = event.change, change.action != .noop else { return nil }
            expected[change.address] = change.action == .replace ? 2 : 1
        case .applyStart:
            guard let address = event.hook?.address else { return nil }
            if expected[address] == nil { expected[address] = 1 }
            inFlight.removeAll { $0 == address }
            inFlight.append(address)
        case .applyComplete:
            guard let address = event.hook?.address else { return nil }
            inFlight.removeAll { $0 == address }
            completed[address, default: 0] += 1
            if completed[address] == expected[address, default: 1] { done += 1 }
        case .applyErrored:
            guard let address = event.hook?.address else { return nil }
            inFlight.removeAll { $0 == address }
            failed.insert(address)
        default:
            return nil
        }
        let after = progress
        return after == before ? nil : after
    }
}
