import Foundation
import GatewayCore

/// What terraform and packer get from a config besides their allowlisted environment: the AWS
/// region and credentials, and the secret values to redact from their output.
///
/// Credentials are handed over in the child's environment only; they are never written to disk.
struct ToolEnvironment: Sendable {
    /// Variables added to the tools' environment.
    var additions: [String: String]
    /// Secret values removed from every line the tools print.
    var redactedValues: [String]

    /// Derives the additions and redactions.
    ///
    /// - Parameters:
    ///   - config: The deployment config (region, `aws` credentials, secrets to redact).
    ///   - parent: This process's environment (for `env:` secrets and inherited AWS credentials).
    /// - Throws: ``ProvisionError`` when the config names AWS credentials that cannot be read.
    init(config: GatewayConfig, parent: [String: String]) throws {
        var additions: [String: String] = [:]
        if !config.project.region.isEmpty {
            additions["AWS_REGION"] = config.project.region
            additions["AWS_DEFAULT_REGION"] = config.project.region
        }
        if !config.aws.profile.isEmpty {
            additions["AWS_PROFILE"] = config.aws.profile
        }
        let resolver = SecretResolver(environment: parent)
        if config.aws.accessKeyId.isSet || config.aws.secretAccessKey.isSet {
            do {
                additions["AWS_ACCESS_KEY_ID"] = try resolver.resolveLocally(config.aws.accessKeyId, field: "aws.accessKeyId")
                additions["AWS_SECRET_ACCESS_KEY"] = try resolver.resolveLocally(config.aws.secretAccessKey, field: "aws.secretAccessKey")
            } catch let error as SecretError {
                throw ProvisionError(.invalidArgument, "the AWS credentials cannot be read: \(error)")
            }
        }
        var redacted: [String] = []
        for (path, secret) in config.secrets {
            // Secrets that cannot be read here (SSM parameters, unset) cannot be echoed either.
            if let value = try? resolver.resolveLocally(secret, field: path) { redacted.append(value) }
        }
        for name in ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"] {
            if let value = additions[name] ?? parent[name], !value.isEmpty { redacted.append(value) }
        }
        self.additions = additions
        self.redactedValues = redacted
    }
}
