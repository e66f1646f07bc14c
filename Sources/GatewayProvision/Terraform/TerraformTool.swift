import GatewayCore

/// The terraform (or OpenTofu) executable a deployment uses.
public struct TerraformTool: Sendable, Equatable {
    /// The environment variable that names the executable (a path or a program name on `PATH`).
    public static let overrideVariable = "GW_TERRAFORM"

    /// The absolute path of the executable.
    public var path: String

    /// Uses the executable at `path`.
    public init(path: String) {
        self.path = path
    }

    /// Finds the executable: `GW_TERRAFORM` when set, otherwise `terraform` on `PATH`, otherwise
    /// OpenTofu's `tofu` on `PATH`.
    ///
    /// - Parameter environment: The environment to read `GW_TERRAFORM` and `PATH` from.
    /// - Throws: ``ProvisionError`` (``ProvisionError/Code/toolNotFound``) saying where it looked.
    public static func locate(environment: [String: String]) throws -> TerraformTool {
        let search = ProcessEnvironment(["PATH": environment["PATH"] ?? ""])
        if let override = environment[overrideVariable], !override.isEmpty {
            do {
                return TerraformTool(path: try ExecutableLocator.resolve(override, environment: search))
            } catch let error as ProcessError {
                throw ProvisionError(.toolNotFound, "\(overrideVariable)=\(override) is not usable: \(error.message)")
            }
        }
        for name in ["terraform", "tofu"] {
            if let path = ExecutableLocator.search(name, path: environment["PATH"]) {
                return TerraformTool(path: path)
            }
        }
        throw ProvisionError(
            .toolNotFound,
            "terraform was not found on PATH (nor OpenTofu's tofu): install Terraform 1.5 or later, or set \(overrideVariable) to its path"
        )
    }
}
