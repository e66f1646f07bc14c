/// The outcome of one preflight check: what was checked, what was found and, unless it passed, how to
/// fix it. Texts name config fields and environment variables, never a command line or an API.
public struct PreflightCheck: Sendable, Equatable, Codable {
    /// How a check ended.
    public enum Status: String, Sendable, Equatable, Codable, CaseIterable {
        /// Ready.
        case ok
        /// Usable, but something deserves attention (e.g. a tool needed only for another action is missing).
        case warn
        /// A deployment would fail: fix this first.
        case fail
    }

    /// Stable identifier, e.g. `aws.identity` (see ``PreflightCheck/ID``).
    public let id: String
    /// What is checked, in a few words.
    public let title: String
    public let status: Status
    /// What was found (no secret value, no local path).
    public let found: String
    /// How to fix it; `nil` when the check passed.
    public let fix: String?
    /// Diagnostics that may name paths on the machine that ran the check (a tool's location, where
    /// credentials were looked for); for a local reader, not for remote callers.
    public let detail: String?

    public init(id: String, title: String, status: Status, found: String, fix: String? = nil, detail: String? = nil) {
        self.id = id
        self.title = title
        self.status = status
        self.found = found
        self.fix = fix
        self.detail = detail
    }

    /// The identifiers of the checks, in report order.
    public enum ID {
        public static let config = "config"
        public static let terraform = "tools.terraform"
        public static let packer = "tools.packer"
        public static let identity = "aws.identity"
        public static let hostedZone = "dns.hosted-zone"
        public static let instanceTypes = "compute.instance-types"
        public static let secrets = "secrets.ssm"
        public static let image = "image"

        static let order = [config, terraform, packer, identity, hostedZone, instanceTypes, secrets, image]
    }
}
