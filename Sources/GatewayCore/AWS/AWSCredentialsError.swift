/// Credentials could not be found or fetched. Messages name the source and never contain key material.
public struct AWSCredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether the source simply is not configured (the chain moves on) rather than broken.
    public let notConfigured: Bool
    public let message: String

    public init(notConfigured: Bool, message: String) {
        self.notConfigured = notConfigured
        self.message = message
    }

    public var description: String { message }
}
