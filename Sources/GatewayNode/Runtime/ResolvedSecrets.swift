/// Secret values resolved before an apply starts, by config field (`filespaces[0].password`). Its
/// descriptions never show a value.
public struct ResolvedSecrets: Sendable, CustomStringConvertible {
    private var values: [String: String]

    /// Creates a set of resolved secrets.
    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The value of a field's secret.
    /// - Throws: ``StepError/conflict(message:hint:)`` when it was not resolved (a planning error).
    public func value(for field: String) throws -> String {
        guard let value = values[field] else {
            throw StepError.conflict(message: "the secret \(field) was not resolved before the apply", hint: "this is a bug in the plan: report it")
        }
        return value
    }

    /// Every value, for redaction.
    public var allValues: [String] { Array(values.values) }

    public var description: String { "ResolvedSecrets(\(values.keys.sorted().joined(separator: ", ")))" }
}
