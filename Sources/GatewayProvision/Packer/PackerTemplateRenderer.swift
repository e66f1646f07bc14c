import GatewayCore

/// Renders the `packer/` part of a bundle: an `amazon-ebs` build from the Ubuntu minimal LTS image
/// (Canonical's account, filtered by name), an encrypted gp3 root volume, a provisioning script that
/// installs the pinned components and the node files, and a manifest post-processor whose output
/// ``PackerManifest`` reads back. Nothing secret is baked into the image.
enum PackerTemplateRenderer {
    static let directory = "packer"
    static let templateFile = "gateway.pkr.hcl"
    static let variablesFile = "gateway.auto.pkrvars.hcl"
    static let provisionScript = "scripts/provision.sh"
    /// The file the manifest post-processor writes in the packer directory (read back with
    /// ``PackerManifest/read(from:)``; the deployment operations expect this name).
    static let manifestFileName = "packer-manifest.json"
    /// Where the node files are staged on the build instance.
    static let staging = "/tmp/gateway-node"
    /// The amazon plugin versions the template is written for.
    static let amazonPluginVersion = "~> 1.3"
    /// Download of the LucidLink client packages when no other URL is configured.
    static let lucidLinkDownloads = [
        2: "https://www.lucidlink.com/download/latest/lin64/stable/",
        3: "https://www.lucidlink.com/download/new-ll-latest/linux-deb/stable/",
    ]

    struct Variable {
        let name: String
        let type: HCLExpression
        let description: String
        let value: HCLExpression?
        var defaultValue: HCLExpression? = nil
    }

    static func render(_ config: GatewayConfig) -> [RenderedFile] {
        let variables = self.variables(config)
        let writer = HCLWriter()
        return [
            RenderedFile(path: "\(directory)/\(templateFile)", contents: writer.write(template(variables))),
            RenderedFile(path: "\(directory)/\(variablesFile)", contents: writer.write(values(variables))),
            RenderedFile(path: "\(directory)/\(provisionScript)", contents: PackerProvisionScript.text, mode: 0o755),
        ]
    }

    /// The image's CPU architecture: that of the fleet's primary instance type (x86_64 when the
    /// family is unknown). The template's `architecture` variable and the node binary check use it.
    static func architecture(of config: GatewayConfig) -> InstanceStorageCatalog.Architecture {
        InstanceStorageCatalog.architecture(of: config.compute.primaryInstanceType) ?? .x86_64
    }

    /// The variable the node binary's path is given to packer in (`-var gw_cli_binary=PATH`; the
    /// rendered var file leaves it out, so the bundle names no path of the machine that rendered it).
    static let nodeBinaryVariable = "gw_cli_binary"

    static func variables(_ config: GatewayConfig) -> [Variable] {
        let image = config.image
        let architecture = Self.architecture(of: config)
        let majors = Array(Set(config.filespaces.map(\.clientVersion))).sorted()
        let string = HCLExpression.ref("string")
        return [
            Variable(name: "region", type: string, description: "AWS region the image is built in.", value: .string(config.project.region)),
            Variable(name: "project", type: string, description: "Project name, part of the image name.", value: .string(config.project.name)),
            Variable(name: "deployment", type: string, description: "The deployment the image was built for (a tag; the image itself is generic).", value: .string(config.names.deployment)),
            Variable(name: "ami_name_prefix", type: string, description: "Image names are <prefix>-<project>-<timestamp>.", value: .string(image.namePrefix)),
            Variable(
                name: "instance_type", type: string, description: "Instance type of the build instance.",
                value: .string(image.buildInstanceType.isEmpty ? config.compute.primaryInstanceType : image.buildInstanceType)),
            Variable(name: "architecture", type: string, description: "CPU architecture of the image: x86_64 or arm64.", value: .string(architecture.rawValue)),
            Variable(name: "base_image_filter", type: string, description: "Name filter of the Ubuntu minimal LTS base image.", value: .string(image.baseImageFilter)),
            Variable(name: "base_image_owner", type: string, description: "Account that publishes the base image (Canonical).", value: .string(image.baseImageOwner)),
            Variable(name: "root_volume_size", type: .ref("number"), description: "Root volume of the image in GiB.", value: .number(image.rootVolumeGiB)),
            Variable(name: "gateway_version", type: string, description: "Version of gw-cli installed in the image.", value: .string(GatewayVersion.current)),
            Variable(
                name: nodeBinaryVariable, type: string, description: "Path of the Linux gw-cli binary to install (override with -var gw_cli_binary=PATH).", value: nil,
                defaultValue: .string(NodePaths.gatewayCLI)),
            Variable(
                name: "lucidlink_client_versions", type: .call("list", [.ref("number")]), description: "LucidLink client major versions the filespaces need (2, 3).",
                value: .list(majors.map { .number($0) })),
            Variable(name: "lucidlink_version", type: string, description: "Pinned LucidLink client package version, or latest.", value: .string(image.lucidLinkVersion)),
            Variable(name: "lucidlink_sha256", type: string, description: "SHA-256 of the pinned LucidLink package; empty means not pinned.", value: .string(image.lucidLinkSha256)),
            Variable(name: "lucidlink_v2_url", type: string, description: "Download of the LucidLink 2 client package.", value: .string(lucidLinkDownloads[2]!)),
            Variable(name: "lucidlink_v3_url", type: string, description: "Download of the LucidLink 3 client package.", value: .string(lucidLinkDownloads[3]!)),
            Variable(name: "versitygw_version", type: string, description: "Pinned VersityGW release.", value: .string(config.gateway.version)),
            Variable(name: "versitygw_sha256", type: string, description: "SHA-256 of the VersityGW release archive; empty means not pinned.", value: .string(config.gateway.sha256)),
            Variable(
                name: "versitygw_url", type: string, description: "Download of the VersityGW release archive; empty means the GitHub release of versitygw_version.", value: nil,
                defaultValue: .string("")),
            Variable(
                name: "cloudwatch_agent_url", type: string, description: "Download of the CloudWatch agent package; empty means AWS's latest package for the architecture.", value: nil,
                defaultValue: .string("")),
            Variable(name: "cloudwatch_agent_sha256", type: string, description: "SHA-256 of the CloudWatch agent package; empty means not pinned.", value: nil, defaultValue: .string("")),
        ]
    }

    static func template(_ variables: [Variable]) -> HCLBody {
        var body = HCLBody()
        var packer = HCLBlock("packer")
        packer.block("required_plugins") { plugins in
            plugins["amazon"] = .object([
                ("source", "github.com/hashicorp/amazon"),
                ("version", .string(amazonPluginVersion)),
            ])
        }
        body.comment("Gateway node image. Build it from this directory: packer init . && packer build .")
        body.comment("The values are in \(variablesFile); the image holds no secret.")
        body.append(packer)
        for variable in variables {
            var block = HCLBlock("variable", variable.name)
            block["type"] = variable.type
            block["description"] = .string(variable.description)
            if let value = variable.defaultValue { block["default"] = value }
            body.append(block)
        }
        var locals = HCLBlock("locals")
        locals["timestamp"] = .call("regex_replace", [.call("timestamp", []), .string("[- TZ:]"), .string("")])
        locals["tags"] = .object([
            ("Name", .interpolated(.ref("var.ami_name_prefix"), "-", .ref("var.project"))),
            ("Project", .ref("var.project")),
            // The image search of a plan (ImageResolver) finds the deployment's images by these two tags.
            (ImageResolver.deploymentTag, .ref("var.deployment")),
            ("GatewayVersion", .ref("var.gateway_version")),
            ("LucidLinkVersion", .ref("var.lucidlink_version")),
            ("VersityGWVersion", .ref("var.versitygw_version")),
            (ImageResolver.managedByTag.key, .string(ImageResolver.managedByTag.value)),
        ])
        body.append(locals)

        var source = HCLBlock("source", "amazon-ebs", "gateway")
        source["region"] = .ref("var.region")
        source["instance_type"] = .ref("var.instance_type")
        source["ami_name"] = .interpolated(.ref("var.ami_name_prefix"), "-", .ref("var.project"), "-", .ref("local.timestamp"))
        source["ami_description"] = .interpolated("S3 gateway node for LucidLink filespaces (gw-cli ", .ref("var.gateway_version"), ")")
        source["ssh_username"] = "ubuntu"
        source["ebs_optimized"] = true
        source["encrypt_boot"] = true
        source["imds_support"] = "v2.0"
        source["shutdown_behavior"] = "terminate"
        source["temporary_security_group_source_public_ip"] = true
        source["tags"] = .ref("local.tags")
        source["snapshot_tags"] = .ref("local.tags")
        source["run_tags"] = .call("merge", [.ref("local.tags"), .object([("Name", .interpolated("packer-", .ref("var.ami_name_prefix"), "-", .ref("var.project")))])])
        source.block("metadata_options") { metadata in
            metadata["http_endpoint"] = "enabled"
            metadata["http_tokens"] = "required"
            metadata["http_put_response_hop_limit"] = 1
        }
        source.block("source_ami_filter") { filter in
            filter["filters"] = .object([
                ("architecture", .ref("var.architecture")),
                ("name", .ref("var.base_image_filter")),
                ("root-device-type", "ebs"),
                ("virtualization-type", "hvm"),
            ])
            filter["owners"] = [.ref("var.base_image_owner")]
            filter["most_recent"] = true
        }
        source.block("launch_block_device_mappings") { mapping in
            mapping["device_name"] = "/dev/sda1"
            mapping["volume_size"] = .ref("var.root_volume_size")
            mapping["volume_type"] = "gp3"
            mapping["encrypted"] = true
            mapping["delete_on_termination"] = true
        }
        body.append(source)

        var build = HCLBlock("build")
        build["name"] = "gateway"
        build["sources"] = .strings(["source.amazon-ebs.gateway"])
        build.block("provisioner", "shell") { shell in
            shell["inline"] = .strings(["mkdir -p \(staging)"])
        }
        build.block("provisioner", "file") { file in
            file["source"] = .interpolated(.ref("path.root"), "/../node/")
            file["destination"] = .string(staging)
        }
        build.block("provisioner", "file") { file in
            file["source"] = .ref("var.gw_cli_binary")
            file["destination"] = .string("\(staging)/gw-cli")
        }
        build.block("provisioner", "shell") { shell in
            shell["script"] = .interpolated(.ref("path.root"), "/\(provisionScript)")
            shell["execute_command"] = "sudo env {{ .Vars }} bash '{{ .Path }}'"
            shell["timeout"] = "30m"
            shell["environment_vars"] = .list([
                .interpolated("ARCHITECTURE=", .ref("var.architecture")),
                .interpolated("STAGING=\(staging)"),
                .interpolated("LUCIDLINK_CLIENT_VERSIONS=", HCLExpression.call("join", [.string(" "), .ref("var.lucidlink_client_versions")])),
                .interpolated("LUCIDLINK_VERSION=", .ref("var.lucidlink_version")),
                .interpolated("LUCIDLINK_SHA256=", .ref("var.lucidlink_sha256")),
                .interpolated("LUCIDLINK_V2_URL=", .ref("var.lucidlink_v2_url")),
                .interpolated("LUCIDLINK_V3_URL=", .ref("var.lucidlink_v3_url")),
                .interpolated("VERSITYGW_VERSION=", .ref("var.versitygw_version")),
                .interpolated("VERSITYGW_SHA256=", .ref("var.versitygw_sha256")),
                .interpolated("VERSITYGW_URL=", .ref("var.versitygw_url")),
                .interpolated("CLOUDWATCH_AGENT_URL=", .ref("var.cloudwatch_agent_url")),
                .interpolated("CLOUDWATCH_AGENT_SHA256=", .ref("var.cloudwatch_agent_sha256")),
            ])
        }
        build.block("post-processor", "manifest") { manifest in
            manifest["output"] = .interpolated(.ref("path.root"), "/\(manifestFileName)")
            manifest["strip_path"] = true
            manifest["custom_data"] = .object([
                ("deployment", .ref("var.deployment")),
                ("gateway_version", .ref("var.gateway_version")),
                ("lucidlink_version", .ref("var.lucidlink_version")),
                ("versitygw_version", .ref("var.versitygw_version")),
            ])
        }
        body.append(build)
        return body
    }

    static func values(_ variables: [Variable]) -> HCLBody {
        var body = HCLBody()
        body.comment("Values of the gateway image build, rendered by gw-cli \(GatewayVersion.current); render again instead of editing.")
        for variable in variables {
            if let value = variable.value { body[variable.name] = value }
        }
        return body
    }
}
