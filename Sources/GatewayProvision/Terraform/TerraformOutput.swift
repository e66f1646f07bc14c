import Foundation

/// One root module output, from `terraform output -json`.
public struct TerraformOutput: Sendable, Equatable, Codable {
    /// Whether the output is marked sensitive; fronts show such values only when asked to.
    public var sensitive: Bool
    /// The value.
    public var value: TerraformValue
    /// Terraform's type of the value (e.g. `"string"` or `["list","string"]`).
    public var type: TerraformValue?

    /// Creates an output.
    public init(sensitive: Bool, value: TerraformValue, type: TerraformValue? = nil) {
        self.sensitive = sensitive
        self.value = value
        self.type = type
    }

    /// Decodes the output of `terraform output -json`.
    public static func decode(outputJSON data: Data) throws -> [String: TerraformOutput] {
        try JSONDecoder().decode([String: TerraformOutput].self, from: data)
    }
}
