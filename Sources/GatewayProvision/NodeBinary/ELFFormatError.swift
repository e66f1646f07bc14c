/// Why a file could not be read as an ELF executable: what is wrong with it, in words a person can
/// act on (the reader never traps on bad input; every defect ends here).
public struct ELFFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the file.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameter message: What is wrong with the file.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
