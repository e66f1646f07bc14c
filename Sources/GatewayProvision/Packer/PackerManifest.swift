import Foundation

/// The manifest Packer's `manifest` post-processor writes (`packer/packer-manifest.json`), read back
/// without `jq`: which image each build produced.
public struct PackerManifest: Sendable, Equatable, Decodable {
    /// The manifest's file name in the packer directory.
    public static let fileName = "packer-manifest.json"

    /// One build of the manifest.
    public struct Build: Sendable, Equatable, Decodable {
        /// Build name, e.g. `gateway`.
        public let name: String
        /// `<region>:<ami-id>[,<region>:<ami-id>...]` for amazon-ebs.
        public let artifactId: String
        /// Unix time of the build.
        public let buildTime: Int?
        /// Packer's run id; builds of one `packer build` share it.
        public let packerRunUUID: String?
        /// The template's `custom_data`.
        public let customData: [String: String]?

        enum CodingKeys: String, CodingKey {
            case name
            case artifactId = "artifact_id"
            case buildTime = "build_time"
            case packerRunUUID = "packer_run_uuid"
            case customData = "custom_data"
        }

        /// The AMI ids by region.
        public var images: [(region: String, amiId: String)] {
            artifactId.split(separator: ",").compactMap { pair in
                let parts = pair.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else { return nil }
                return (String(parts[0]), String(parts[1]))
            }
        }
    }

    /// The builds, oldest first (Packer appends).
    public let builds: [Build]
    /// The run id of the last build.
    public let lastRunUUID: String?

    enum CodingKeys: String, CodingKey {
        case builds
        case lastRunUUID = "last_run_uuid"
    }

    /// A manifest could not be read.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        /// What went wrong.
        public let description: String
    }

    /// Parses manifest JSON.
    public static func decode(_ data: Data) throws(ReadError) -> PackerManifest {
        do {
            return try JSONDecoder().decode(PackerManifest.self, from: data)
        } catch {
            throw ReadError(description: "the Packer manifest is not valid: \(error)")
        }
    }

    /// The AMI the most recent build produced in `region`.
    public func latestImage(in region: String) -> String? {
        let candidates = lastRunUUID.map { run in builds.filter { $0.packerRunUUID == run } } ?? builds
        for build in (candidates.isEmpty ? builds : candidates).reversed() {
            if let image = build.images.first(where: { $0.region == region }) { return image.amiId }
        }
        return nil
    }
}
