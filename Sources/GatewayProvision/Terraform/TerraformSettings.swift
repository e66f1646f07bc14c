import GatewayCore

/// `versions.tf`, `providers.tf` and `backend.tf`.
enum TerraformSettings {
    /// Terraform (or OpenTofu) versions the project supports.
    static let requiredVersion = ">= 1.10.0"
    /// The AWS provider versions the project is written for.
    static let awsProviderVersion = "~> 5.80"

    static func render(_ context: TerraformContext, into module: inout TerraformModule) {
        var terraform = HCLBlock("terraform")
        terraform["required_version"] = .string(requiredVersion)
        terraform.block("required_providers") { providers in
            providers["aws"] = .object([
                ("source", .string("hashicorp/aws")),
                ("version", .string(awsProviderVersion)),
            ])
        }
        module.add(terraform, to: "versions.tf")

        var provider = HCLBlock("provider", "aws")
        provider["region"] = .ref("var.region")
        if !context.config.aws.profile.isEmpty {
            provider["profile"] = .string(context.config.aws.profile)
        }
        provider.block("default_tags") { defaults in
            defaults["tags"] = .ref("local.tags")
        }
        module.add(provider, to: "providers.tf")

        let state = context.config.state
        guard state.kind == .s3 else { return }
        var backend = HCLBlock("terraform")
        backend.block("backend", "s3") { s3 in
            s3["bucket"] = .string(state.bucket)
            s3["key"] = .string(state.key.isEmpty ? "\(context.config.project.name)/\(context.config.project.environment)/terraform.tfstate" : state.key)
            s3["region"] = .string(state.region.isEmpty ? context.config.project.region : state.region)
            s3["encrypt"] = true
            if state.dynamoDBTable.isEmpty {
                s3["use_lockfile"] = true
            } else {
                s3["dynamodb_table"] = .string(state.dynamoDBTable)
            }
        }
        module.add(backend, to: "backend.tf")
    }
}
