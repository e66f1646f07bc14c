import Foundation

/// The file packer's `manifest` post-processor writes: one entry per build, with the artifact IDs.
public struct PackerManifest: Sendable, Equatable, Decodable {
    /// One build of the manifest.
    public struct Build: Sendable, Equatable, Decodable {
        /// The builder's name, e.g. `gateway`.
        public var name: String?
        /// The builder type, e.g. `amazon-ebs`.
        public var builderType: String?
        /// Seconds since 1970 when the build finished.
        public var buildTime: Int?
        /// `REGION:AMI[,REGION:AMI...]` for amazon-ebs builds.
        public var artifactID: String
        /// The ID of the packer run that made the build.
        public var packerRunUUID: String?

        enum CodingKeys: String, CodingKey {
            case name
            case builderType = "builder_type"
            case buildTime = "build_time"
            case artifactID = "artifact_id"
            case packerRunUUID = "packer_run_uuid"
        }
    }

    /// Every build recorded (packer appends to an existing manifest).
    public var builds: [Build]
    /// The ID of the most recent packer run.
    public var lastRunUUID: String?

    enum CodingKeys: String, CodingKey {
        case builds
        case lastRunUUID = "last_run_uuid"
    }

    /// Reads a manifest file.
    ///
    /// - Throws: ``ProvisionError`` when the file is missing or is not a packer manifest.
    public static func read(from path: String) throws -> PackerManifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProvisionError(
                .notFound,
                "packer wrote no manifest at \(path); the template needs a `manifest` post-processor writing there"
            )
        }
        do {
            return try JSONDecoder().decode(PackerManifest.self, from: data)
        } catch {
            throw ProvisionError(.unreadableOutput, "\(path) is not a packer manifest: \(error)")
        }
    }

    /// The images of the most recent run (the build whose run ID is ``lastRunUUID``, or the last
    /// build), one per region.
    ///
    /// - Throws: ``ProvisionError`` when the manifest holds no AMI.
    public func latestImages() throws -> [ImageArtifact] {
        let build = builds.last { $0.packerRunUUID != nil && $0.packerRunUUID == lastRunUUID } ?? builds.last
        guard let build else {
            throw ProvisionError(.unreadableOutput, "the packer manifest lists no builds")
        }
        let time = build.buildTime.map { Date(timeIntervalSince1970: TimeInterval($0)) }
        let images = build.artifactID.split(separator: ",").compactMap { entry -> ImageArtifact? in
            let parts = entry.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, ImageArtifact.isValidAMIID(parts[1]) else { return nil }
            return ImageArtifact(amiID: parts[1], region: parts[0], buildTime: time)
        }
        guard !images.isEmpty else {
            throw ProvisionError(
                .unreadableOutput,
                "the packer manifest's artifact \"\(build.artifactID)\" names no AMI (expected REGION:ami-...)"
            )
        }
        return images
    }
}
