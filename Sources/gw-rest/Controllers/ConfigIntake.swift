import Foundation
import GatewayCore

/// Reads a config from a request body and lists its problems, the way `gw-cli validate` does, plus
/// the rules that only apply to configs handed to a server.
struct ConfigIntake: Sendable {
    /// A config read from a body: the config when it could be read, and every problem.
    struct Result: Sendable {
        var loaded: LoadedConfig?
        var problems: [ConfigProblem]
        var hasErrors: Bool { ConfigValidator.hasErrors(problems) }
    }

    /// The environment `env:` references are checked against.
    let environment: [String: String]

    /// Environment variables of the server itself that a config must not reference: a reference
    /// would hand the server's credentials to terraform and into AWS.
    static let reservedEnvironmentPrefix = "GW_REST_"

    /// Loads and validates a body of the given format.
    func read(_ data: Data, format: RequestBodyReader.ConfigFormat) -> Result {
        if format == .json, (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) == nil {
            return Result(loaded: nil, problems: [ConfigProblem(path: "", message: "the body is not valid JSON", hint: "send JSON, or YAML as application/yaml")])
        }
        var result: Result
        do {
            let loaded = try ConfigLoader.load(data: data)
            result = Result(loaded: loaded, problems: loaded.validate(environment: environment))
        } catch {
            result = Result(loaded: nil, problems: error.allProblems(environment: environment))
            if let partial = error.partial { result.problems = Self.redacting(result.problems, secretsOf: partial.config) }
            return result
        }
        if let config = result.loaded?.config {
            for (path, secret) in config.secrets {
                if case .environment(let name) = secret.source, name.hasPrefix(Self.reservedEnvironmentPrefix) {
                    result.problems.append(
                        ConfigProblem(
                            path: path, message: "references the server's own variable \(name)",
                            hint: "use a variable meant for this deployment; \(Self.reservedEnvironmentPrefix)* variables configure gw-rest itself"))
                }
            }
            result.problems = Self.redacting(result.problems, secretsOf: config)
        }
        return result
    }

    /// Problems with every literal secret value of the config replaced by `<redacted>`, in case a
    /// message ever quotes one.
    static func redacting(_ problems: [ConfigProblem], secretsOf config: GatewayConfig) -> [ConfigProblem] {
        let literals = config.secrets.compactMap { $0.secret.exportableLiteral }.filter { !$0.isEmpty }
        guard !literals.isEmpty else { return problems }
        return problems.map { problem in
            var scrubbed = problem
            for literal in literals {
                scrubbed.message = scrubbed.message.replacingOccurrences(of: literal, with: Secret.redactedMarker)
                scrubbed.hint = scrubbed.hint.replacingOccurrences(of: literal, with: Secret.redactedMarker)
            }
            return scrubbed
        }
    }
}
