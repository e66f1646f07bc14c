/// Everything `gw-cli render` produces for one deployment, as values: the Terraform project, the Packer
/// template and the node bundle. Write it to disk with ``write(to:force:)``.
public struct RenderedBundle: Sendable, Equatable {
    /// The files, sorted by path.
    public let files: [RenderedFile]
    /// What was rendered, for reports.
    public let summary: RenderSummary

    /// Creates a bundle; files are sorted by path.
    public init(files: [RenderedFile], summary: RenderSummary) {
        self.files = files.sorted { $0.path < $1.path }
        self.summary = summary
    }

    /// The file at a relative path.
    public func file(_ path: String) -> RenderedFile? {
        files.first { $0.path == path }
    }
}

/// One file of a bundle.
public struct RenderedFile: Sendable, Equatable {
    /// Path relative to the bundle directory, with `/` separators, e.g. `terraform/network.tf`.
    public let path: String
    /// The content (UTF-8 text).
    public let contents: String
    /// POSIX permissions, `0o644` or `0o755` for scripts.
    public let mode: Int

    /// Creates a file.
    public init(path: String, contents: String, mode: Int = 0o644) {
        self.path = path
        self.contents = contents
        self.mode = mode
    }

    /// Whether the file is executable.
    public var isExecutable: Bool { mode & 0o111 != 0 }
}

/// A summary of a rendered bundle.
public struct RenderSummary: Sendable, Equatable, Codable {
    /// The deployment, `<project>-<environment>`.
    public let deployment: String
    /// Relative paths of the files, sorted.
    public let files: [String]
    /// Terraform managed resources by type (instances, counting `count`/`for_each` as configured).
    public let resourcesByType: [String: Int]
    /// Terraform data sources by type.
    public let dataSourcesByType: [String: Int]

    /// Creates a summary.
    public init(deployment: String, files: [String], resourcesByType: [String: Int], dataSourcesByType: [String: Int]) {
        self.deployment = deployment
        self.files = files
        self.resourcesByType = resourcesByType
        self.dataSourcesByType = dataSourcesByType
    }

    /// Total number of resource instances.
    public var resourceCount: Int { resourcesByType.values.reduce(0, +) }
}
