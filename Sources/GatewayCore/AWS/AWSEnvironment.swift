import Foundation

/// Where the AWS settings come from: environment variables and the shared `config`/`credentials` files,
/// read the way the AWS SDKs read them. Tests and embedding tools pass their own variables.
public struct AWSEnvironment: Sendable {
    /// Environment variables.
    public let variables: [String: String]
    /// The selected profile (`AWS_PROFILE`, else `default`).
    public let profile: String
    /// Settings of the profile in the `config` file (`AWS_CONFIG_FILE`, else `~/.aws/config`).
    public let configSettings: [String: String]
    /// Settings of the profile in the `credentials` file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`).
    public let credentialSettings: [String: String]
    /// Paths of the two files, for messages.
    public let configPath: String
    public let credentialsPath: String

    /// Reads the files named by `variables` (or the defaults under `home`).
    public init(variables: [String: String] = ProcessInfo.processInfo.environment, home: String? = nil) {
        self.variables = variables
        let homeDirectory = home ?? variables["HOME"] ?? NSHomeDirectory()
        profile = Self.nonEmpty(variables["AWS_PROFILE"]) ?? Self.nonEmpty(variables["AWS_DEFAULT_PROFILE"]) ?? "default"
        configPath =
            Self.nonEmpty(variables["AWS_CONFIG_FILE"]).map(Self.expandTilde(home: homeDirectory))
            ?? homeDirectory + "/.aws/config"
        credentialsPath =
            Self.nonEmpty(variables["AWS_SHARED_CREDENTIALS_FILE"]).map(Self.expandTilde(home: homeDirectory))
            ?? homeDirectory + "/.aws/credentials"
        let config = (try? String(contentsOfFile: configPath, encoding: .utf8)).map {
            AWSConfigFile(text: $0, isConfigFile: true)
        }
        let credentials = (try? String(contentsOfFile: credentialsPath, encoding: .utf8)).map {
            AWSConfigFile(text: $0, isConfigFile: false)
        }
        configSettings = config?.profiles[profile] ?? [:]
        credentialSettings = credentials?.profiles[profile] ?? [:]
    }

    /// The environment of this process.
    public static var current: AWSEnvironment { AWSEnvironment() }

    /// Region from `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    public var region: String? {
        Self.nonEmpty(variables["AWS_REGION"]) ?? Self.nonEmpty(variables["AWS_DEFAULT_REGION"])
            ?? Self.nonEmpty(configSettings["region"])
    }

    /// The endpoint for `service`: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then the profile's
    /// `endpoint_url` (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true), else the public endpoint.
    public func endpoint(for service: AWSService, region: String) throws -> AWSEndpoint {
        let ignoreConfigured = variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() == "true"
        let candidates: [(String, String?)] =
            ignoreConfigured
            ? []
            : [
                ("AWS_ENDPOINT_URL_\(service.environmentID)", Self.nonEmpty(variables["AWS_ENDPOINT_URL_\(service.environmentID)"])),
                ("AWS_ENDPOINT_URL", Self.nonEmpty(variables["AWS_ENDPOINT_URL"])),
                ("endpoint_url in profile \(profile) of \(configPath)", Self.nonEmpty(configSettings["endpoint_url"])),
            ]
        for (origin, value) in candidates {
            guard let value else { continue }
            guard let endpoint = AWSEndpoint(url: value) else {
                throw AWSConfigurationError(
                    message: "\(origin) is not an http(s) URL: \(value)",
                    hint: "set it to a URL like https://host:port or unset it")
            }
            return endpoint
        }
        return service.defaultEndpoint(region: region)
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    static func expandTilde(home: String) -> (String) -> String {
        { path in path.hasPrefix("~/") ? home + path.dropFirst(1) : path }
    }
}

/// A setting needed for AWS is missing or malformed; the message names it and the hint says how to fix it.
public struct AWSConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public let hint: String

    public init(message: String, hint: String) {
        self.message = message
        self.hint = hint
    }

    public var description: String { "\(message) (\(hint))" }
}
