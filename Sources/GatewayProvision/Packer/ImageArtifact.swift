import Foundation
import GatewayCore

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

    /// `true` for strings shaped like an AMI ID (see ``AMIID``).
    public static func isValidAMIID(_ text: String) -> Bool { AMIID.isValid(text) }
}
