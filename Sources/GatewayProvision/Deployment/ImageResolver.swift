import Foundation
import GatewayCore

/// The AMI a plan deploys and where it came from.
public struct ResolvedImage: Sendable, Equatable, Codable {
    /// The AMI ID.
    public var amiID: String
    /// Where it came from: `the request`, `ami build RUN_ID`, `rollout (...)`, `config`, or
    /// `newest image tagged Deployment=NAME (...)`.
    public var source: String
}

/// Chooses the AMI for a plan, in this order:
///
/// 1. an explicit AMI id;
/// 2. the later of the last successful `ami build` recorded in the workspace (for the deployment's
///    region) and the AMI the fleet was last rolled out or back to (`ami-versions.json`), so a plan
///    never undoes a rollout;
/// 3. the config's `compute.amiId`;
/// 4. the newest image in the region owned by the caller's account (`owners=self`), available, and
///    tagged as the packer template tags the images it builds for this deployment
///    (`Deployment=<deployment>`, `ManagedBy=gw-cli`).
enum ImageResolver {
    /// The root module variable of the rendered terraform project that takes the AMI.
    static let terraformVariable = "ami_id"
    /// The image tag that names the deployment an image was built for (set by the packer template).
    static let deploymentTag = "Deployment"
    /// The image tag (and its value) that marks images built by this toolkit (set by the packer template).
    static let managedByTag = (key: "ManagedBy", value: "gw-cli")

    /// Resolves with the AWS search (step 4) through the deployment's own AWS access: its config's
    /// credentials or profile, else the default chain of `environment`.
    static func resolve(
        explicit: String?, workspace: DeploymentWorkspace?, config: GatewayConfig, environment: [String: String]
    ) async throws -> ResolvedImage {
        try await resolve(
            explicit: explicit, workspace: workspace, config: config,
            lookup: BuiltImageLookup(config: config, environment: environment))
    }

    /// Resolves; without a `lookup`, step 4 is left out.
    static func resolve(
        explicit: String?, workspace: DeploymentWorkspace?, config: GatewayConfig, lookup: BuiltImageLookup?
    ) async throws -> ResolvedImage {
        if let local = try resolveLocally(explicit: explicit, workspace: workspace, config: config) { return local }
        let deployment = config.names.deployment
        let region = config.project.region
        let advice = "build one (the ami-build action), give an AMI id explicitly, or set compute.amiId in the config"
        guard let lookup else {
            throw ProvisionError(.noImage, "deployment \(deployment) has no AMI: \(advice)")
        }
        let found: EC2Client.Image?
        do {
            found = try await lookup.newest()
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw ProvisionError(
                .noImage,
                "deployment \(deployment) has no AMI recorded or configured, and the search for images tagged \(deploymentTag)=\(deployment) in \(region) failed: \(error); \(advice)"
            )
        }
        guard let image = found else {
            throw ProvisionError(
                .noImage,
                "deployment \(deployment) has no AMI: none recorded or configured, and this account owns no available image tagged \(deploymentTag)=\(deployment) in \(region); \(advice)"
            )
        }
        var details = [image.name].filter { !$0.isEmpty }
        if let created = image.creationDate { details.append("created \(AWSTimestamp.iso8601(created))") }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        return ResolvedImage(amiID: image.imageID, source: "newest image tagged \(deploymentTag)=\(deployment)\(suffix)")
    }

    /// Steps 1 to 3: what the caller, the workspace and the config say, without asking AWS.
    static func resolveLocally(explicit: String?, workspace: DeploymentWorkspace?, config: GatewayConfig) throws
        -> ResolvedImage?
    {
        if let explicit, !explicit.isEmpty {
            guard AMIID.isValid(explicit) else {
                throw ProvisionError(.invalidArgument, "\(explicit) is not an AMI ID: use \(AMIID.shape)")
            }
            return ResolvedImage(amiID: explicit, source: "the request")
        }
        if let workspace {
            let region = config.project.region
            let built = workspace.records().last { record in
                record.action == .imageBuild && record.status == .succeeded && record.amiID != nil
                    && (record.amiRegion == nil || record.amiRegion == region)
            }
            let rolledOut = (try? AMIVersionStore(workspace: workspace).load(deployment: workspace.name))?.current
            if let rolledOut, !rolledOut.imageID.isEmpty,
                built.map({ rolledOut.since >= ($0.endTime ?? $0.startTime) }) ?? true
            {
                return ResolvedImage(amiID: rolledOut.imageID, source: "rollout (\(workspace.amiVersionsURL.lastPathComponent))")
            }
            if let built, let amiID = built.amiID {
                return ResolvedImage(amiID: amiID, source: "ami build \(built.id)")
            }
        }
        if !config.compute.amiId.isEmpty {
            return ResolvedImage(amiID: config.compute.amiId, source: "config")
        }
        return nil
    }
}

/// Finds the newest image built for a deployment: owned by the caller's account, available, in the
/// deployment's region, tagged `Deployment=<deployment>` and `ManagedBy=gw-cli` (as the packer template
/// tags what it builds).
struct BuiltImageLookup: Sendable {
    private let config: GatewayConfig
    private let client: @Sendable () throws -> EC2Client

    /// Searches with `ec2`.
    init(config: GatewayConfig, ec2: EC2Client) {
        self.config = config
        client = { ec2 }
    }

    /// Searches with the client `makeClient` makes when the search starts.
    init(config: GatewayConfig, makeClient: @escaping @Sendable () throws -> EC2Client) {
        self.config = config
        client = makeClient
    }

    /// Searches with the deployment's own AWS access, made when the search starts (so a deployment
    /// that needs no search needs no AWS access).
    init(config: GatewayConfig, environment: [String: String]) {
        self.config = config
        client = { try EC2Client(configuration: AWSConfiguration.deployment(config, environment: environment)) }
    }

    /// The filters of the search.
    var filters: [EC2Client.Filter] {
        [
            .init("tag:\(ImageResolver.deploymentTag)", [config.names.deployment]),
            .init("tag:\(ImageResolver.managedByTag.key)", [ImageResolver.managedByTag.value]),
            .init("state", ["available"]),
        ]
    }

    /// The newest matching image, or `nil` when there is none.
    func newest() async throws -> EC2Client.Image? {
        let images = try await client().describeImages(owners: ["self"], filters: filters)
        // The filters are AWS's; checking again keeps a lax answer from choosing a wrong image.
        return images.filter { image in
            image.state == "available" && image.tags[ImageResolver.deploymentTag] == config.names.deployment
                && image.tags[ImageResolver.managedByTag.key] == ImageResolver.managedByTag.value
        }
        .max { ($0.creationDate ?? .distantPast, $0.imageID) < ($1.creationDate ?? .distantPast, $1.imageID) }
    }
}
