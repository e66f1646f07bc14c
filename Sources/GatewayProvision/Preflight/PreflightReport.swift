import Foundation
import GatewayCore

/// Every preflight check of a deployment, in a fixed order, and whether the deployment is ready.
public struct PreflightReport: Sendable, Equatable, Codable {
    /// The deployment, `<project.name>-<project.environment>`.
    public let deployment: String
    public let region: String
    /// The checks that apply to the config (the hosted zone check only when the config creates DNS
    /// records, the secrets check only when it has `ssm:` secrets).
    public let checks: [PreflightCheck]
    /// How long the checks took, start to end (they run concurrently).
    public let elapsedSeconds: Double

    public init(deployment: String, region: String, checks: [PreflightCheck], elapsedSeconds: Double) {
        self.deployment = deployment
        self.region = region
        self.checks = checks
        self.elapsedSeconds = elapsedSeconds
    }

    /// Whether no check failed (warnings allowed).
    public var passed: Bool { !checks.contains { $0.status == .fail } }

    /// The check with identifier `id`, if it ran.
    public func check(_ id: String) -> PreflightCheck? { checks.first { $0.id == id } }

    /// `N ok, N warnings, N failed`.
    public var summary: String {
        let count = { (status: PreflightCheck.Status) in self.checks.filter { $0.status == status }.count }
        let warnings = count(.warn)
        let failures = count(.fail)
        return "\(count(.ok)) ok, \(warnings) warning\(warnings == 1 ? "" : "s"), \(failures) failed"
    }

    enum CodingKeys: String, CodingKey { case deployment, region, checks, elapsedSeconds, passed }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        deployment = try container.decode(String.self, forKey: .deployment)
        region = try container.decode(String.self, forKey: .region)
        checks = try container.decode([PreflightCheck].self, forKey: .checks)
        elapsedSeconds = try container.decode(Double.self, forKey: .elapsedSeconds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(deployment, forKey: .deployment)
        try container.encode(region, forKey: .region)
        try container.encode(passed, forKey: .passed)
        try container.encode(checks, forKey: .checks)
        try container.encode(elapsedSeconds, forKey: .elapsedSeconds)
    }
}

/// The config has errors, so no check ran (nothing was called). `problems` lists every one.
public struct PreflightConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problems: [ConfigProblem]

    public init(problems: [ConfigProblem]) {
        self.problems = problems
    }

    public var description: String {
        let errors = problems.filter { $0.severity == .error }
        return "the config has \(errors.count) error\(errors.count == 1 ? "" : "s"); no check ran: "
            + errors.map(\.description).joined(separator: "; ")
    }
}
