import GatewayCore

/// The AMI a plan deploys and where it came from.
public struct ResolvedImage: Sendable, Equatable {
    /// The AMI ID.
    public var amiID: String
    /// `--ami-id`, `ami build RUN_ID` or `config`.
    public var source: String
}

/// Chooses the AMI for a plan: an explicit `--ami-id`; else the later of the last successful
/// `ami build` recorded in the workspace (for the deployment's region) and the AMI the fleet was
/// last rolled out or back to (`ami-versions.json`), so a plan never undoes a rollout; else the
/// config's `compute.amiId`.
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
        let rolledOut = (try? AMIVersionStore(workspace: workspace).load(deployment: workspace.name))?.current
        if let rolledOut, !rolledOut.imageID.isEmpty, built.map({ rolledOut.since >= ($0.endTime ?? $0.startTime) }) ?? true {
            return ResolvedImage(amiID: rolledOut.imageID, source: "rollout (\(workspace.amiVersionsURL.lastPathComponent))")
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
