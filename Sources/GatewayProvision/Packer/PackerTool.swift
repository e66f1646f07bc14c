import GatewayCore

/// The packer executable used to build node images.
public struct PackerTool: Sendable, Equatable {
    /// The environment variable that names the executable (a path or a program name on `PATH`).
    public static let overrideVariable = "GW_PACKER"

    /// The absolute path of the executable.
    public var path: String

    /// Uses the executable at `path`.
    public init(path: String) {
        self.path = path
    }

    /// Finds the executable: `GW_PACKER` when set, otherwise `packer` on `PATH`.
    ///
    /// - Throws: ``ProvisionError`` (``ProvisionError/Code/toolNotFound``) saying where it looked.
    public static func locate(environment: [String: String]) throws -> PackerTool {
        let search = ProcessEnvironment(["PATH": environment["PATH"] ?? ""])
        if let override = environment[overrideVariable], !override.isEmpty {
            do {
                return PackerTool(path: try ExecutableLocator.resolve(override, environment: search))
            } catch let error as ProcessError {
                throw ProvisionError(.toolNotFound, "\(overrideVariable)=\(override) is not usable: \(error.message)")
            }
        }
        if let path = ExecutableLocator.search("packer", path: environment["PATH"]) {
            return PackerTool(path: path)
        }
        throw ProvisionError(
            .toolNotFound,
            "packer was not found on PATH: install Packer 1.9 or later, or set \(overrideVariable) to its path"
        )
    }
}
