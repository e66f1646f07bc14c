import Foundation
import GatewayCore

/// Puts a deployment's node secrets (LucidLink passwords, the S3 root keys) into SSM SecureString
/// parameters under the deployment's path, straight through the API: they never pass through terraform
/// state, the AMI or user data. The node reads them back by the same names (`NodeConfig` references).
/// Reports name parameters and versions, never values.
public struct SecretsPublisher: Sendable {
    private let ssm: SSMClient
    private let environment: [String: String]

    public init(ssm: SSMClient, environment: [String: String]) {
        self.ssm = ssm
        self.environment = environment
    }

    /// One secret's parameter and what happened to it.
    public struct Entry: Sendable, Equatable, Codable {
        /// The config field, e.g. `filespaces[0].password`.
        public let field: String
        /// The SSM parameter name.
        public let parameter: String
        /// push: `written`, `unchanged`; check: `present`, `missing`, `not-secure`.
        public let state: String
        public let version: Int?
    }

    /// The secrets the node needs, with their parameter names (the operator's own AWS keys are not among them).
    public static func nodeSecrets(_ config: GatewayConfig) -> [(field: String, secret: Secret, parameter: String)] {
        config.secrets.filter { !$0.path.hasPrefix("aws.") }.map {
            (field: $0.path, secret: $0.secret, parameter: config.names.parameterName(forSecretAt: $0.path))
        }
    }

    /// Resolves every node secret (literal, `env:`, `file:`, or another `ssm:` parameter) and writes it as a
    /// SecureString; a parameter that already holds the value is left alone (its version does not move).
    public func push(_ config: GatewayConfig) async throws -> [Entry] {
        let resolver = SecretResolver(environment: environment, ssm: ssm)
        var resolved: [(field: String, parameter: String, value: String?)] = []
        var problems: [String] = []
        for item in Self.nodeSecrets(config) {
            if case .ssmParameter(let name) = item.secret.source, name == item.parameter {
                resolved.append((item.field, item.parameter, nil))  // already where the node reads it
                continue
            }
            do {
                resolved.append((item.field, item.parameter, try await resolver.resolve(item.secret, field: item.field)))
            } catch let error as SecretError {
                problems.append(error.description)
            }
        }
        guard problems.isEmpty else {
            throw OperationError(
                "cannot read every secret: " + problems.joined(separator: "; "),
                hint: "fix the references; nothing was written")
        }
        var entries: [Entry] = []
        for item in resolved {
            guard let value = item.value else {
                let existing = try? await ssm.getParameter(name: item.parameter, withDecryption: false)
                entries.append(
                    Entry(
                        field: item.field, parameter: item.parameter, state: existing == nil ? "missing" : "unchanged",
                        version: existing?.version))
                continue
            }
            if let existing = try? await ssm.getParameter(name: item.parameter, withDecryption: true),
                existing.type == "SecureString", existing.value == value
            {
                entries.append(Entry(field: item.field, parameter: item.parameter, state: "unchanged", version: existing.version))
                continue
            }
            let version = try await ssm.putSecureString(
                name: item.parameter, value: value, overwrite: true,
                description: "gateway \(config.names.deployment): \(item.field)")
            entries.append(Entry(field: item.field, parameter: item.parameter, state: "written", version: version))
        }
        return entries
    }

    /// Checks that every node secret exists as a SecureString, without decrypting anything.
    public func check(_ config: GatewayConfig) async throws -> [Entry] {
        let existing = try await ssm.getParametersByPath(path: config.names.parameterPath, recursive: true, withDecryption: false)
        let byName = Dictionary(existing.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return Self.nodeSecrets(config).map { item in
            guard let parameter = byName[item.parameter] else {
                return Entry(field: item.field, parameter: item.parameter, state: "missing", version: nil)
            }
            return Entry(
                field: item.field, parameter: item.parameter,
                state: parameter.type == "SecureString" ? "present" : "not-secure", version: parameter.version)
        }
    }
}
