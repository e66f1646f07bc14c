import Foundation
import GatewayProvision
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore

/// Builds the REST application: the router with every operation, the middleware chain and the
/// services that run alongside the HTTP server. The command line front calls it to serve; tests call
/// it to exercise the routes.
///
/// Middleware order, outermost first: request log → security headers → CORS → problem rendering →
/// authentication → body limit → route. So every response, including 401s, 404s and failures, carries
/// the security headers, and a preflight from an allowed origin is answered before authentication.
///
/// - Parameters:
///   - configuration: Listener, TLS identity, tokens, origins, limits and workspace root; refused
///     when unsafe.
///   - logger: Where the server logs.
///   - bundle: Where runs get the deployment's bundle: by default rendered from the stored config.
///   - onServerRunning: Called with the bound port once the server listens.
func buildApplication(
    _ configuration: RESTConfiguration,
    logger: Logger,
    bundle: BundleSource = .rendered,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    try configuration.check()
    let bodies = RequestBodyReader(maximumBytes: configuration.maximumBodyBytes)
    let intake = ConfigIntake(environment: configuration.environment)

    let root = WorkspaceRoot(url: URL(fileURLWithPath: configuration.workspaceRoot))
    // Runs left "running" by a previous process are marked interrupted before anything is served.
    for name in root.deploymentNames() {
        if let workspace = try? root.existingDeployment(named: name) {
            for record in await workspace.recoverInterruptedRuns() {
                logger.notice("run marked interrupted", metadata: ["run": .string(record.id), "deployment": .string(name)])
            }
        }
    }
    let supervisor = RunSupervisor(root: root, bundle: bundle, environment: configuration.environment, deadline: configuration.shutdownDeadline, logger: logger)
    let deployments = DeploymentsController(root: root, bodies: bodies, intake: intake, environment: configuration.environment, bundle: bundle)
    let runs = RunsController(root: root, bodies: bodies, deployments: deployments, supervisor: supervisor, streams: RunEventStreams())

    var operations = HealthController().operations
    operations += ValidationController(bodies: bodies, intake: intake).operations
    operations += deployments.operations
    operations += runs.operations
    operations += FleetController(deployments: deployments, environment: configuration.environment).operations
    operations += PreflightController(deployments: deployments, environment: configuration.environment).operations
    operations += try OpenAPIController(describing: operations).operations

    let router = Router(context: RESTRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: CORSAllowlistMiddleware(origins: Set(configuration.corsOrigins)))
    router.add(middleware: ProblemMiddleware(operations: operations))
    router.add(middleware: AuthenticationMiddleware(tokens: configuration.tokens, openPaths: Set(operations.filter { !$0.authenticated }.map(\.path))))
    router.add(middleware: BodyLimitMiddleware(maximumBytes: configuration.maximumBodyBytes))
    for operation in operations {
        router.on(RouterPath(operation.routerPath), method: operation.method, use: operation.handler)
    }

    // Connections idle between requests (or stalled while sending one) are closed after a minute;
    // a response in progress, such as an event stream, is never cut by it.
    let http1: HTTPServerBuilder = .http1(configuration: .init(idleTimeout: .seconds(60)))
    // With TLS, each handshake takes the certificate current in the store (see TLSIdentityStore).
    let server = try configuration.tls.map { try HTTPServerBuilder.tls(http1, tlsConfiguration: $0.serverConfiguration()) } ?? http1
    if configuration.servesPlainHTTPBeyondLoopback {
        logger.warning(
            "serving plain HTTP beyond loopback: bearer tokens and responses cross the network unencrypted",
            metadata: ["address": .string(configuration.listen.description)])
    }

    return Application(
        router: router,
        server: server,
        configuration: .init(address: .hostname(configuration.listen.host, port: configuration.listen.port), serverName: nil),
        services: [supervisor],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.listen.port) },
        logger: logger
    )
}
