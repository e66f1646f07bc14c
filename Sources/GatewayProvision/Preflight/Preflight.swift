import Foundation
import GatewayCore
import Logging

/// Checks, before any deployment action, that what the deployment needs is in place: the config is
/// valid, terraform and packer are installed, the AWS credentials work, the hosted zone exists, the
/// instance types are offered in the zones, the `ssm:` secrets exist and the image to deploy is
/// available. Each check is a typed result (``PreflightCheck``); independent checks run concurrently
/// and every AWS call and tool run has a time limit.
///
/// The config is validated first: with errors, ``run()`` throws ``PreflightConfigError`` and nothing
/// is called. Nothing is changed anywhere (no workspace is created); no secret value is read.
public struct Preflight: Sendable {
    /// Limits and inputs of a preflight.
    public struct Options: Sendable {
        /// The longest one AWS call (its retries included) may take.
        public var callLimit: Duration
        /// The longest a tool may take to print its version.
        public var toolLimit: Duration

        public init(callLimit: Duration = .seconds(20), toolLimit: Duration = .seconds(30)) {
            self.callLimit = callLimit
            self.toolLimit = toolLimit
        }
    }

    /// The oldest terraform the rendered project supports (its `required_version`, `>= 1.10.0`: the
    /// variables' validations refer to other variables).
    static let minimumTerraform = [1, 10]
    /// The oldest packer the rendered template supports.
    static let minimumPacker = [1, 9]
    let config: GatewayConfig
    let workspace: DeploymentWorkspace?
    let environment: [String: String]
    let options: Options
    let http: CurlHTTPClient
    let retry: AWSRetryPolicy
    let logger: Logger

    /// - Parameters:
    ///   - config: The deployment config.
    ///   - workspace: The deployment's workspace, when it has one: its recorded image builds and rollouts
    ///     take part in choosing the image (see ``Preflight/workspace(of:root:)``).
    ///   - environment: Tool lookup (`GW_TERRAFORM`, `GW_PACKER`, `PATH`), `env:` secrets, and the AWS
    ///     settings (credentials, profile, `AWS_ENDPOINT_URL...`) when the config gives no keys.
    ///   - options: The time limits.
    ///   - http: The HTTP client of the AWS calls.
    ///   - retry: How AWS calls are retried (within ``Options/callLimit``).
    ///   - logger: Receives the AWS client's call log (never parameters or values).
    public init(
        config: GatewayConfig, workspace: DeploymentWorkspace?, environment: [String: String],
        options: Options = Options(), http: CurlHTTPClient = .shared, retry: AWSRetryPolicy = AWSRetryPolicy(),
        logger: Logger = Logger(label: "gateway.preflight")
    ) {
        self.config = config
        self.workspace = workspace
        self.environment = environment
        self.options = options
        self.http = http
        self.retry = retry
        self.logger = logger
    }

    /// The workspace of `config`'s deployment under `root` when it exists (none is created).
    public static func workspace(of config: GatewayConfig, root: WorkspaceRoot) -> DeploymentWorkspace? {
        try? root.existingDeployment(named: config.names.deployment)
    }

    /// Runs every check that applies to the config.
    ///
    /// - Throws: ``PreflightConfigError`` when the config has errors (then nothing ran), or
    ///   `CancellationError` when the calling task is cancelled.
    public func run() async throws -> PreflightReport {
        let problems = ConfigValidator(environment: environment).validate(config)
        guard !ConfigValidator.hasErrors(problems) else { throw PreflightConfigError(problems: problems) }
        let started = ContinuousClock.now
        let access = AWSAccess(
            Result {
                try AWSConfiguration.deployment(config, environment: environment, http: http, retry: retry, logger: logger)
            })
        var checks = [Self.configCheck(problems)]
        checks += await withTaskGroup(of: PreflightCheck.self) { group in
            group.addTask { await terraformCheck() }
            group.addTask { await packerCheck() }
            group.addTask { await identityCheck(access) }
            if config.dns.createRecords { group.addTask { await hostedZoneCheck(access) } }
            group.addTask { await instanceTypeCheck(access) }
            if !ssmSecrets.isEmpty { group.addTask { await secretsCheck(access) } }
            group.addTask { await imageCheck(access) }
            var results: [PreflightCheck] = []
            for await check in group { results.append(check) }
            return results
        }
        try Task.checkCancellation()
        let order = PreflightCheck.ID.order
        checks.sort { (order.firstIndex(of: $0.id) ?? order.count) < (order.firstIndex(of: $1.id) ?? order.count) }
        let elapsed = ContinuousClock.now - started
        return PreflightReport(
            deployment: config.names.deployment, region: config.project.region, checks: checks,
            elapsedSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    // MARK: - Config

    static func configCheck(_ problems: [ConfigProblem]) -> PreflightCheck {
        let title = "the config is valid"
        guard !problems.isEmpty else { return PreflightCheck(id: PreflightCheck.ID.config, title: title, status: .ok, found: "valid") }
        return PreflightCheck(
            id: PreflightCheck.ID.config, title: title, status: .warn,
            found: "valid, with \(problems.count) warning\(problems.count == 1 ? "" : "s"): "
                + problems.map(\.description).joined(separator: "; "),
            fix: "see the warnings; a deployment works without fixing them")
    }

    /// The config's secrets read from SSM parameters: field and parameter name.
    var ssmSecrets: [(field: String, parameter: String)] {
        config.secrets.compactMap { item in
            if case .ssmParameter(let name) = item.secret.source { return (item.path, name) }
            return nil
        }
    }
}

/// The deployment's AWS configuration, or why there is none; shared by the AWS checks.
struct AWSAccess: Sendable {
    let configuration: Result<AWSConfiguration, any Error>

    init(_ configuration: Result<AWSConfiguration, any Error>) {
        self.configuration = configuration
    }

    func client<Client>(_ make: (AWSConfiguration) throws -> Client) throws -> Client {
        try make(configuration.get())
    }
}
