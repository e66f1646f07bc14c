import HTTPTypes
import Hummingbird

/// Cross-origin access for an explicit list of origins only. A request from a listed origin gets
/// `Access-Control-Allow-Origin` set to that origin (never `*`, never credentials); a preflight from a
/// listed origin is answered here, before authentication (browsers send preflights without
/// credentials). Other origins get no CORS headers, so browsers keep their pages out.
struct CORSAllowlistMiddleware: RouterMiddleware {
    typealias Context = RESTRequestContext

    let origins: Set<String>

    static let allowedMethods = "GET, PUT, POST, DELETE"
    static let allowedHeaders = "Authorization, Content-Type, Last-Event-ID"
    static let exposedHeaders = "Location, WWW-Authenticate, Allow"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard !origins.isEmpty else { return try await next(request, context) }
        let origin = request.headers[.origin]
        let allowed = origin.map { origins.contains($0) } ?? false
        if allowed, let origin, request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            var headers: HTTPFields = [
                .accessControlAllowOrigin: origin,
                .accessControlAllowMethods: Self.allowedMethods,
                .accessControlAllowHeaders: Self.allowedHeaders,
                .accessControlMaxAge: "600",
            ]
            headers[.vary] = "Origin"
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        response.headers[.vary] = "Origin"
        if allowed, let origin {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        }
        return response
    }
}
