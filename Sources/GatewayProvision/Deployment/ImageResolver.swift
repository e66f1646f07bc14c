import GatewayCore

/// The AMI a plan deploys and where it came from.
public struct ResolvedImage: Sendable, Equatable {
    /// The AMI ID.
    public var amiID: String
    /// `--ami-id`, `ami build RUN_ID` or `config`.
    public var source: String
}

/// Chooses the AMI for a plan: an explicit `--ami-id`, else the last successful `ami build`
/// recorded in the workspace (for the deployment's region), else the config's `compute.amiId`.
enum ImageResolver {
    /// The root module variable of the rendered terraform project that takes the AMI.
    static let terraformVariable = "ami_id"

    static func resolve(explicit: String?, workspace: DeploymentWorkspace, config: GatewayConfig) throws -> ResolvedImage {
        if let explicit, !explicit.isEmpty {
            guard ImageArtifact.isValidAMIID(explicit) else {
                throw ProvisionError(.invalidArgument, "--ami-id \(explicit) is not an AMI ID (ami- and 8 or 17 hexadecimal digits)")
            }
            return ResolvedImage(amiID: explicit, source: "--ami-id")
        }
        let region = config.project.region
        let built = workspace.records().last { record in
            record.action == .imageBuild && record.status == .succeeded && record.amiID != nil
                && (record.amiRegion == nil || record.amiRegion == region)
        }
        if let built, let amiID = built.amiID {
            return ResolvedImage(amiID: amiID, source: "ami build \(built.id)")
        }
        if !config.compute.amiId.isEmpty {
            return ResolvedImage(amiID: config.compute.amiId, source: "config")
        }
        throw ProvisionError(
            .noImage,
            "deployment \(workspace.name) has no AMI: build one with `gw-cli ami build FILE`, pass --ami-id ami-..., or set compute.amiId in the config"
        )
    }
}
