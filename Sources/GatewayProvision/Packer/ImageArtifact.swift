import Foundation

/// A node image (AMI) produced by a packer build.
public struct ImageArtifact: Sendable, Equatable, Codable {
    /// The AMI ID, e.g. `ami-0123456789abcdef0`.
    public var amiID: String
    /// The region the AMI lives in.
    public var region: String
    /// When packer finished the build, when the manifest says.
    public var buildTime: Date?

    /// Creates an artifact.
    public init(amiID: String, region: String, buildTime: Date? = nil) {
        self.amiID = amiID
        self.region = region
        self.buildTime = buildTime
    }

    /// `true` for strings shaped like an AMI ID (`ami-` and 8 or 17 hexadecimal digits).
    public static func isValidAMIID(_ text: String) -> Bool {
        guard text.hasPrefix("ami-") else { return false }
        let digits = text.dropFirst(4)
        return (digits.count == 8 || digits.count == 17) && digits.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
