/// The toolkit's version, shown by `--version` of both fronts.
public enum GatewayVersion {
    /// Semantic version of this release.
    public static let current = "0.1.0"
}
