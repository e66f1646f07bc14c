import Foundation

/// What a saved plan will do, read from `terraform show -json PLANFILE`: every resource change with
/// its address, and which outputs change. Only names and actions are kept, never values (a plan's
/// JSON holds variable values and resource attributes, which may be sensitive).
public struct TerraformPlanSummary: Sendable, Equatable, Codable {
    /// Every resource change that is not a no-op, in terraform's order.
    public var changes: [TerraformResourceChange]
    /// Names of the outputs whose value changes.
    public var outputChanges: [String]
    /// `true` when terraform reported errors while planning.
    public var errored: Bool

    /// Creates a summary.
    public init(changes: [TerraformResourceChange], outputChanges: [String], errored: Bool = false) {
        self.changes = changes
        self.outputChanges = outputChanges
        self.errored = errored
    }

    /// Addresses of resources of one action.
    public func addresses(_ action: TerraformAction) -> [String] {
        changes.filter { $0.action == action }.map(\.address)
    }

    /// Resources to create.
    public var creates: [String] { addresses(.create) }
    /// Resources to update in place.
    public var updates: [String] { addresses(.update) }
    /// Resources to destroy and create again.
    public var replaces: [String] { addresses(.replace) }
    /// Resources to destroy.
    public var deletes: [String] { addresses(.delete) }

    /// `true` when applying the plan would change anything (resources or outputs).
    public var hasChanges: Bool {
        changes.contains { $0.action != .read && $0.action != .noop } || !outputChanges.isEmpty
    }

    /// `4 to create, 1 to update, 1 to replace, 2 to destroy`.
    public var headline: String {
        let parts = [
            (creates.count, "to create"), (updates.count, "to update"), (replaces.count, "to replace"),
            (deletes.count, "to destroy"),
        ]
        return parts.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }

    /// How many resources of each type an action touches, by type name (`aws_subnet`), most first
    /// (then by name): what a destroy plan takes away, at a glance.
    public func countsByType(_ action: TerraformAction) -> [(type: String, count: Int)] {
        var counts: [String: Int] = [:]
        for change in changes where change.action == action {
            counts[TerraformResourceChange.resourceType(of: change.address), default: 0] += 1
        }
        return counts.map { (type: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.type < $1.type }
    }

    /// Decodes the output of `terraform show -json PLANFILE`.
    ///
    /// - Throws: `DecodingError` when the text is not a terraform plan in JSON.
    public static func decode(showJSON data: Data) throws -> TerraformPlanSummary {
        let plan = try JSONDecoder().decode(Wire.self, from: data)
        var changes: [TerraformResourceChange] = []
        for resource in plan.resourceChanges ?? [] {
            var action = Self.action(for: resource.change.actions)
            if action == .noop, resource.change.importing != nil { action = .import }
            guard action != .noop else { continue }
            changes.append(TerraformResourceChange(address: resource.address, action: action, reason: resource.actionReason))
        }
        let outputs = (plan.outputChanges ?? [:]).filter { Self.action(for: $0.value.actions) != .noop }.keys.sorted()
        return TerraformPlanSummary(changes: changes, outputChanges: outputs, errored: plan.errored ?? false)
    }

    private static func action(for actions: [String]) -> TerraformAction {
        switch actions {
        case ["no-op"]: .noop
        case ["create"]: .create
        case ["read"]: .read
        case ["update"]: .update
        case ["delete"]: .delete
        case ["delete", "create"], ["create", "delete"]: .replace
        case ["forget"]: .remove
        default: .other
        }
    }

    private struct Wire: Decodable {
        struct Change: Decodable {
            var actions: [String]
            var importing: Importing?
        }
        struct Importing: Decodable {}
        struct ResourceChange: Decodable {
            var address: String
            var change: Change
            var actionReason: String?

            enum CodingKeys: String, CodingKey {
                case address, change
                case actionReason = "action_reason"
            }
        }
        struct OutputChange: Decodable {
            var actions: [String]
        }

        var formatVersion: String
        var resourceChanges: [ResourceChange]?
        var outputChanges: [String: OutputChange]?
        var errored: Bool?

        enum CodingKeys: String, CodingKey {
            case errored
            case formatVersion = "format_version"
            case resourceChanges = "resource_changes"
            case outputChanges = "output_changes"
        }
    }
}
