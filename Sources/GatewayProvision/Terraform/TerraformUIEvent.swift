import Foundation

/// One line of terraform's machine-readable UI (`-json` on plan, apply and destroy), decoded.
///
/// Mirrors terraform's documented format: every line has a level, a human message, a timestamp and
/// a type; depending on the type it carries a resource change, a hook (a resource operation
/// starting, progressing, finishing or failing), a change summary or a diagnostic.
public struct TerraformUIEvent: Sendable, Equatable, Codable {
    /// `info`, `warn` or `error`.
    public var level: String
    /// Terraform's own one-line text for the event.
    public var message: String
    /// When terraform emitted the event.
    public var time: Date?
    /// What kind of event this is.
    public var type: TerraformUIEventType
    /// For ``TerraformUIEventType/plannedChange`` and ``TerraformUIEventType/resourceDrift``.
    public var change: TerraformResourceChange?
    /// For resource operation events (apply, provision, refresh).
    public var hook: TerraformResourceHook?
    /// For ``TerraformUIEventType/changeSummary``.
    public var changes: TerraformChangeSummary?
    /// For ``TerraformUIEventType/diagnostic``.
    public var diagnostic: TerraformDiagnostic?
    /// For ``TerraformUIEventType/version``: terraform's version.
    public var terraformVersion: String?

    /// Creates an event.
    public init(
        level: String, message: String, time: Date?, type: TerraformUIEventType,
        change: TerraformResourceChange? = nil, hook: TerraformResourceHook? = nil,
        changes: TerraformChangeSummary? = nil, diagnostic: TerraformDiagnostic? = nil,
        terraformVersion: String? = nil
    ) {
        self.level = level
        self.message = message
        self.time = time
        self.type = type
        self.change = change
        self.hook = hook
        self.changes = changes
        self.diagnostic = diagnostic
        self.terraformVersion = terraformVersion
    }
}

/// The kinds of terraform UI events.
public enum TerraformUIEventType: String, Sendable, Equatable, Codable {
    case version
    case log
    case diagnostic
    case plannedChange = "planned_change"
    case resourceDrift = "resource_drift"
    case changeSummary = "change_summary"
    case outputs
    case applyStart = "apply_start"
    case applyProgress = "apply_progress"
    case applyComplete = "apply_complete"
    case applyErrored = "apply_errored"
    case provisionStart = "provision_start"
    case provisionProgress = "provision_progress"
    case provisionComplete = "provision_complete"
    case provisionErrored = "provision_errored"
    case refreshStart = "refresh_start"
    case refreshComplete = "refresh_complete"
    /// A type this version does not know (newer terraform versions add types).
    case other

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        self = TerraformUIEventType(rawValue: raw) ?? .other
    }
}

/// What terraform will do (or did) to one resource.
public enum TerraformAction: String, Sendable, Equatable, Codable, CaseIterable {
    case noop
    case create
    case read
    case update
    case replace
    case delete
    case move
    case `import`
    case remove
    /// An action this version does not know.
    case other

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        self = TerraformAction(rawValue: raw) ?? .other
    }
}

/// A planned (or drifted) change of one resource.
public struct TerraformResourceChange: Sendable, Equatable, Codable {
    /// The resource address, e.g. `aws_lb.s3` or `module.vpc.aws_subnet.private[0]`.
    public var address: String
    /// The action.
    public var action: TerraformAction
    /// Why, when terraform says (e.g. `cannot_update`, `delete_because_count_index`).
    public var reason: String?

    /// Creates a resource change.
    public init(address: String, action: TerraformAction, reason: String? = nil) {
        self.address = address
        self.action = action
        self.reason = reason
    }

    /// The resource type of an address: `aws_subnet` for `module.vpc.aws_subnet.private[0]`,
    /// `data.aws_availability_zones` for a data source; the address itself when it has no type.
    public static func resourceType(of address: String) -> String {
        var parts: [Substring] = []
        var depth = 0
        var start = address.startIndex
        for index in address.indices {
            switch address[index] {
            case "[": depth += 1
            case "]": depth -= 1
            case "." where depth == 0:
                parts.append(address[start..<index])
                start = address.index(after: index)
            default: break
            }
        }
        parts.append(address[start...])
        // Drop `module.NAME` pairs; what is left is [data.]TYPE.NAME.
        var rest = parts[...]
        while rest.count > 2, rest.first == "module" { rest = rest.dropFirst(2) }
        if rest.count >= 3, rest.first == "data" { return "data.\(rest[rest.startIndex + 1])" }
        guard rest.count >= 2 else { return address }
        return String(rest[rest.startIndex])
    }
}

/// An operation on one resource, as reported by apply/provision/refresh events.
public struct TerraformResourceHook: Sendable, Equatable, Codable {
    /// The resource address.
    public var address: String
    /// The action being performed (absent for refresh events).
    public var action: TerraformAction?
    /// Seconds since the operation started (progress, complete and errored events).
    public var elapsedSeconds: Int?
    /// The resource's ID after the operation (apply_complete), when terraform reports it.
    public var id: String?
    /// The provisioner's name (provision events).
    public var provisioner: String?
    /// A line of provisioner output (provision_progress), already redacted.
    public var output: String?

    /// Creates a hook.
    public init(
        address: String, action: TerraformAction? = nil, elapsedSeconds: Int? = nil, id: String? = nil,
        provisioner: String? = nil, output: String? = nil
    ) {
        self.address = address
        self.action = action
        self.elapsedSeconds = elapsedSeconds
        self.id = id
        self.provisioner = provisioner
        self.output = output
    }
}

/// Terraform's count of changes at the end of a plan or apply.
public struct TerraformChangeSummary: Sendable, Equatable, Codable {
    /// Resources added.
    public var add: Int
    /// Resources changed in place.
    public var change: Int
    /// Resources destroyed.
    public var remove: Int
    /// Resources imported.
    public var `import`: Int
    /// `plan`, `apply` or `destroy`.
    public var operation: String

    /// Creates a summary.
    public init(add: Int, change: Int, remove: Int, import: Int, operation: String) {
        self.add = add
        self.change = change
        self.remove = remove
        self.import = `import`
        self.operation = operation
    }
}

/// A terraform error or warning.
public struct TerraformDiagnostic: Sendable, Equatable, Codable {
    /// `error` or `warning`.
    public var severity: String
    /// One-line summary.
    public var summary: String
    /// Longer explanation (may be empty).
    public var detail: String
    /// The resource the diagnostic is about, when there is one.
    public var address: String?
    /// The configuration file it points at, when there is one.
    public var file: String?
    /// The line in ``file``.
    public var line: Int?

    /// Creates a diagnostic.
    public init(severity: String, summary: String, detail: String, address: String? = nil, file: String? = nil, line: Int? = nil) {
        self.severity = severity
        self.summary = summary
        self.detail = detail
        self.address = address
        self.file = file
        self.line = line
    }

    /// `true` for errors.
    public var isError: Bool { severity == "error" }
}
