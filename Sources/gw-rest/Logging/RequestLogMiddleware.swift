import Foundation
import Hummingbird
import Logging

/// Logs one line per request: method, path (never the query, headers or body), status and duration.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = RESTRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "status": .stringConvertible(response.status.code),
                "ms": .string(String(format: "%.2f", milliseconds)),
            ]
        )
        return response
    }
}
