/// Receives a run's events as they happen (after they are written to the run's log).
public typealias RunEventHandler = @Sendable (RunEvent) -> Void
