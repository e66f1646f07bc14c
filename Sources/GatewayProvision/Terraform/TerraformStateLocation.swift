/// Where terraform keeps a deployment's state.
public enum TerraformStateLocation: Sendable, Equatable {
    /// A local state file outside the configuration directory, so that rendering the
    /// configuration again never touches state. The configuration directory must hold the
    /// override file ``TerraformDriver/localStateOverride(path:)`` that points the local backend there.
    case localFile(String)
    /// The backend configured in the terraform project (e.g. S3 with locking).
    case configuredBackend
}
