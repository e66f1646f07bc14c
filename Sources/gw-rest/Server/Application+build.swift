import Hummingbird
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
///   - configuration: Listener, tokens, origins, limits and workspace root; refused when unsafe.
///   - logger: Where the server logs.
///   - onServerRunning: Called with the bound port once the server listens.
func buildApplication(
    _ configuration: RESTConfiguration,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    try configuration.check()
    let bodies = RequestBodyReader(maximumBytes: configuration.maximumBodyBytes)
    let intake = ConfigIntake(environment: configuration.environment)

    var operations = HealthController().operations
    operations += ValidationController(bodies: bodies, intake: intake).operations
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

    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.listen.host, port: configuration.listen.port), serverName: nil),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.listen.port) },
        logger: logger
    )
}
