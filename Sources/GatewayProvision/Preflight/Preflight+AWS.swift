import Foundation
import GatewayCore

extension Preflight {
    /// One AWS call with the preflight's time limit.
    func call<Value: Sendable>(_ name: String, _ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        try await CallDeadline.run(name, limit: options.callLimit, body)
    }

    /// A failed check for an error of an AWS call or of the AWS settings.
    func failure(_ id: String, _ title: String, _ error: any Error, permission: String) -> PreflightCheck {
        let (found, fix, detail) = Self.explain(error, permission: permission)
        return PreflightCheck(id: id, title: title, status: .fail, found: found, fix: fix, detail: detail)
    }

    /// What went wrong (never a secret; local paths only in the detail) and how to fix it.
    static func explain(_ error: any Error, permission: String) -> (found: String, fix: String, detail: String?) {
        let credentials = "give the deployment working AWS credentials: aws.accessKeyId and aws.secretAccessKey, aws.profile, or the environment's AWS credentials"
        switch error {
        case let error as CallDeadline.Exceeded:
            return (error.description, "check the network path to AWS (or the endpoint in AWS_ENDPOINT_URL), then check again", nil)
        case let error as AWSError where error.isAuthenticationFailure:
            return ("AWS refused the credentials: \(error.code): \(error.message)", credentials, error.requestID.map { "request id \($0)" })
        case let error as AWSError where error.code.contains("AccessDenied") || error.code == "UnauthorizedOperation" || error.httpStatus == 403:
            return (
                "AWS denied \(error.service):\(error.action): \(error.code): \(error.message)",
                "allow \(permission) for the deployment's AWS identity", error.requestID.map { "request id \($0)" }
            )
        case let error as AWSError:
            return (
                "\(error.service) \(error.action) failed: \(error.code): \(error.message)",
                error.isRetryable ? "AWS is busy or unavailable: check again later" : "see AWS's message",
                error.requestID.map { "request id \($0)" }
            )
        case let error as AWSTransportError:
            return (
                "AWS did not answer (\(error.kind.rawValue))",
                "check the network path to AWS (or the endpoint in AWS_ENDPOINT_URL)", error.description
            )
        case let error as AWSCredentialsError:
            return ("no usable AWS credentials", credentials, error.message)
        case let error as AWSConfigurationError:
            return ("the AWS settings are unusable", error.hint, error.message)
        case let error as SecretError:
            return ("the AWS credentials in the config cannot be read: \(error.description)", credentials, nil)
        default:
            return ("the call failed", "see the detail", "\(error)")
        }
    }

    // MARK: - Identity

    /// STS GetCallerIdentity: who the deployment's credentials are.
    func identityCheck(_ access: AWSAccess) async -> PreflightCheck {
        let id = PreflightCheck.ID.identity
        let title = "the AWS credentials work"
        do {
            let sts = try access.client(STSClient.init)
            let identity = try await call("sts GetCallerIdentity") { try await sts.getCallerIdentity() }
            return PreflightCheck(id: id, title: title, status: .ok, found: "account \(identity.account), \(identity.arn)")
        } catch {
            return failure(id, title, error, permission: "sts:GetCallerIdentity")
        }
    }

    // MARK: - DNS

    /// Route 53: exactly one public hosted zone named `dns.zoneName` (terraform's zone lookup needs one).
    func hostedZoneCheck(_ access: AWSAccess) async -> PreflightCheck {
        let id = PreflightCheck.ID.hostedZone
        let zone = config.dns.cleanZoneName
        let title = "the public hosted zone \(zone) exists"
        do {
            let route53 = try access.client(Route53Client.init)
            let zones = try await call("route53 ListHostedZonesByName") { try await route53.hostedZones(named: zone) }
            let publicZones = zones.filter { !$0.isPrivate }
            switch publicZones.count {
            case 0:
                let privateNote = zones.isEmpty ? "" : " (only \(zones.count) private zone\(zones.count == 1 ? "" : "s"): \(zones.map(\.id).joined(separator: ", ")))"
                return PreflightCheck(
                    id: id, title: title, status: .fail, found: "no public hosted zone named \(zone)\(privateNote)",
                    fix: "create the public hosted zone \(zone) in this account and delegate it, set dns.zoneName to a zone you have, or set dns.createRecords to false and create the records yourself"
                )
            case 1:
                let found = publicZones[0]
                return PreflightCheck(
                    id: id, title: title, status: .ok,
                    found: "\(found.name) (\(found.id))" + (found.recordCount.map { ", \($0) record sets" } ?? ""))
            default:
                return PreflightCheck(
                    id: id, title: title, status: .fail,
                    found: "\(publicZones.count) public hosted zones named \(zone): \(publicZones.map(\.id).joined(separator: ", "))",
                    fix: "keep one public hosted zone named \(zone): the deployment's zone lookup needs exactly one")
            }
        } catch {
            return failure(id, title, error, permission: "route53:ListHostedZonesByName")
        }
    }

    // MARK: - Instance types

    /// EC2: the zones the deployment uses exist and are available (the config's
    /// `network.availabilityZones`, else the region's first available zones that need no opt-in, in name
    /// order, as the Terraform project picks them), and the instance types are offered in each.
    func instanceTypeCheck(_ access: AWSAccess) async -> PreflightCheck {
        let id = PreflightCheck.ID.instanceTypes
        let types = config.compute.instanceTypes
        let title = "the instance types are offered in the zones"
        do {
            let ec2 = try access.client(EC2Client.init)
            let available = try await call("ec2 DescribeAvailabilityZones") {
                try await ec2.describeAvailabilityZones(filters: [.init("state", ["available"]), .init("opt-in-status", ["opt-in-not-required"])])
            }
            let availableNames = available.filter { ($0.zoneType ?? "availability-zone") == "availability-zone" }
                .map(\.name).sorted()
            let region = config.project.region
            let count = config.network.effectiveZoneCount(region: region)
            var zones = config.network.availabilityZones
            var zoneSource = "network.availabilityZones"
            if zones.isEmpty {
                zones = Array(availableNames.prefix(count))
                zoneSource = "the region's first available zones"
                guard zones.count == count else {
                    return PreflightCheck(
                        id: id, title: title, status: .fail,
                        found: "\(region) has \(zones.count) available zone\(zones.count == 1 ? "" : "s") (\(zones.joined(separator: ", "))), the deployment needs \(count)",
                        fix: "set network.zoneCount to \(max(2, zones.count)) or choose another region")
                }
            } else {
                let unknown = zones.filter { !availableNames.contains($0) }
                guard unknown.isEmpty else {
                    return PreflightCheck(
                        id: id, title: title, status: .fail,
                        found: "network.availabilityZones names \(unknown.joined(separator: ", ")), not available in \(region) (available: \(availableNames.joined(separator: ", ")))",
                        fix: "name available zones of \(region) in network.availabilityZones, or leave it empty to use the first \(count)")
                }
            }
            let chosen = zones
            let offerings = try await call("ec2 DescribeInstanceTypeOfferings") {
                try await ec2.describeInstanceTypeOfferings(instanceTypes: types, locations: chosen)
            }
            var offered: [String: Set<String>] = [:]
            for offering in offerings { offered[offering.instanceType, default: []].insert(offering.location) }
            let gaps = types.map { type in (type: type, missing: chosen.filter { !(offered[type]?.contains($0) ?? false) }) }
                .filter { !$0.missing.isEmpty }
            let zoneList = chosen.joined(separator: ", ")
            guard !gaps.isEmpty else {
                return PreflightCheck(
                    id: id, title: title, status: .ok,
                    found: "\(types.joined(separator: ", ")) offered in \(zoneList) (\(zoneSource))")
            }
            let text = gaps.map { "\($0.type) not offered in \($0.missing.joined(separator: ", "))" }.joined(separator: "; ")
            let primary = config.compute.primaryInstanceType
            if gaps.contains(where: { $0.type == primary }) {
                return PreflightCheck(
                    id: id, title: title, status: .fail, found: "\(text) (zones: \(zoneList), \(zoneSource))",
                    fix: "choose a primary instance type (the first of compute.instanceTypes) offered in every zone, or other zones in network.availabilityZones")
            }
            return PreflightCheck(
                id: id, title: title, status: .warn, found: "\(text) (zones: \(zoneList), \(zoneSource)); the primary \(primary) is offered in all",
                fix: "the group launches the other types only where they are offered; drop them from compute.instanceTypes or pick other zones")
        } catch {
            return failure(id, title, error, permission: "ec2:DescribeAvailabilityZones and ec2:DescribeInstanceTypeOfferings")
        }
    }

    // MARK: - Secrets

    /// SSM: every `ssm:` secret of the config exists, found by name (DescribeParameters: no value is read).
    func secretsCheck(_ access: AWSAccess) async -> PreflightCheck {
        let id = PreflightCheck.ID.secrets
        let title = "the ssm: secrets exist in Parameter Store"
        let wanted = ssmSecrets
        do {
            let ssm = try access.client(SSMClient.init)
            let names = wanted.map(\.parameter)
            let existing = try await call("ssm DescribeParameters") { try await ssm.describeParameters(names: names) }
            let byName = Dictionary(existing.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
            let missing = wanted.filter { byName[$0.parameter] == nil }
            let plain = wanted.filter { byName[$0.parameter].map { $0.type != "SecureString" } ?? false }
            let describe = { (items: [(field: String, parameter: String)]) in
                items.map { "\($0.field) (\($0.parameter))" }.joined(separator: ", ")
            }
            if !missing.isEmpty {
                return PreflightCheck(
                    id: id, title: title, status: .fail,
                    found: "\(missing.count) of \(wanted.count) missing: \(describe(missing))",
                    fix: "create them as SecureString parameters in \(config.project.region), or correct the ssm: references")
            }
            if !plain.isEmpty {
                return PreflightCheck(
                    id: id, title: title, status: .warn,
                    found: "all \(wanted.count) present; not SecureString: \(describe(plain))",
                    fix: "store secrets as SecureString parameters (encrypted with KMS)")
            }
            return PreflightCheck(id: id, title: title, status: .ok, found: "all \(wanted.count) present: \(describe(wanted))")
        } catch {
            return failure(id, title, error, permission: "ssm:DescribeParameters")
        }
    }

    // MARK: - Image

    /// EC2: the image a plan would deploy (resolved as a plan resolves it) exists and is available.
    func imageCheck(_ access: AWSAccess) async -> PreflightCheck {
        let id = PreflightCheck.ID.image
        let title = "the image to deploy is available"
        do {
            let lookup = BuiltImageLookup(config: config) { try access.client(EC2Client.init) }
            let image: ResolvedImage
            do {
                image = try await call("image resolution") { [config, workspace] in
                    try await ImageResolver.resolve(explicit: nil, workspace: workspace, config: config, lookup: lookup)
                }
            } catch let error as ProvisionError {
                return PreflightCheck(
                    id: id, title: title, status: .fail, found: error.message,
                    fix: "build an image for the deployment, or set compute.amiId to an available AMI")
            }
            if image.source.hasPrefix("newest image tagged") {
                return PreflightCheck(id: id, title: title, status: .ok, found: "\(image.amiID), available, from the \(image.source)")
            }
            let ec2Client = try access.client(EC2Client.init)
            let images: [EC2Client.Image]
            do {
                images = try await call("ec2 DescribeImages") { try await ec2Client.describeImages(imageIDs: [image.amiID]) }
            } catch let error as AWSError where error.code.hasPrefix("InvalidAMIID") {
                images = []
            }
            guard let found = images.first(where: { $0.imageID == image.amiID }) else {
                return PreflightCheck(
                    id: id, title: title, status: .fail,
                    found: "\(image.amiID) (from \(image.source)) does not exist in \(config.project.region) or is not visible to this account",
                    fix: "build an image in \(config.project.region), or give an AMI id of this region")
            }
            let name = found.name.isEmpty ? "" : " \(found.name)"
            switch found.state {
            case "available":
                return PreflightCheck(id: id, title: title, status: .ok, found: "\(image.amiID)\(name), available, from \(image.source)")
            case "pending":
                return PreflightCheck(
                    id: id, title: title, status: .warn, found: "\(image.amiID)\(name) (from \(image.source)) is still pending",
                    fix: "wait until the image is available, then check again")
            default:
                return PreflightCheck(
                    id: id, title: title, status: .fail, found: "\(image.amiID)\(name) (from \(image.source)) is \(found.state)",
                    fix: "build a new image, or give an available AMI id")
            }
        } catch {
            return failure(id, title, error, permission: "ec2:DescribeImages")
        }
    }
}
