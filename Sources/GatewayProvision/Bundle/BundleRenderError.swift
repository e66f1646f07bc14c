/// Why a config could not be rendered. Rendering expects a config that passed ``ConfigValidator``;
/// these errors cover what only rendering can find.
public struct BundleRenderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The config key path the problem is about, if any.
    public let path: String
    /// What went wrong.
    public let message: String
    /// How to fix it.
    public let hint: String

    /// Creates an error.
    public init(path: String, message: String, hint: String) {
        self.path = path
        self.message = message
        self.hint = hint
    }

    public var description: String {
        (path.isEmpty ? "" : path + ": ") + message + " (" + hint + ")"
    }
}
