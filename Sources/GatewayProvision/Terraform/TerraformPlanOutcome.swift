import GatewayCore

/// What `terraform plan -detailed-exitcode` reported.
public enum TerraformPlanOutcome: Sendable, Equatable {
    /// Exit 0: nothing to change.
    case noChanges
    /// Exit 2: the plan has changes.
    case changes
    /// Any other end: the plan failed or was stopped.
    case failed

    /// Interprets the exit of a plan run with `-detailed-exitcode`.
    public init(_ exit: ProcessExit) {
        switch (exit.status, exit.stopReason) {
        case (.exited(0), nil): self = .noChanges
        case (.exited(2), nil): self = .changes
        default: self = .failed
        }
    }
}
