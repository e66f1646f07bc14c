/// What `apply` applies.
public enum ApplySelection: Sendable, Equatable {
    /// The saved plan of a plan run that was reviewed (`gw-cli apply FILE --plan RUN_ID`).
    case savedPlan(runID: String)
    /// Plan and apply in one go without review (`--auto-approve`), deploying `amiID` when given
    /// (otherwise the AMI is resolved as for a plan).
    case autoApprove(amiID: String?)
}
