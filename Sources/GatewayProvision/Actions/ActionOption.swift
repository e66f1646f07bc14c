/// An option of a deployment action, by its front-neutral name.
///
/// The names are the REST API's JSON members; the command line maps each to its flag (``amiId`` is
/// `--ami`). Problems name the option this way, so each front can say it in its own terms.
public enum ActionOption: String, Sendable, Hashable, Codable, CaseIterable {
    /// Which action (plan, apply, destroy, ami-build, rollout, rollback).
    case action
    /// The AMI to deploy or roll out.
    case amiId
    /// The reviewed plan run to apply (or, for destroy, the reviewed destroy plan).
    case planRun
    /// Apply (or destroy) without a reviewed plan.
    case autoApprove
    /// The deployment's name, typed to confirm a destroy without review.
    case confirm
    /// For plan: make a destroy plan.
    case destroy
    /// For rollout and rollback: the share of the group that must stay healthy, in percent.
    case minHealthy
    /// For rollout: checkpoint percentages.
    case checkpoints
    /// For rollout and rollback: seconds between two looks at the refresh and the target health.
    case pollSeconds
    /// For rollout and rollback: minutes to watch the refresh before giving up.
    case timeoutMinutes
    /// For ami-build: the self-contained gw-cli binary to install in the image.
    case nodeBinary
}
