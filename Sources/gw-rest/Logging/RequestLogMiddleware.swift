import Hummingbird
import Logging

/// Logs one line per request: method, path (never the query, headers or body), status and duration
/// in microseconds.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = RESTRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "us": .stringConvertible(microseconds),
            ]
        )
        return response
    }
}
