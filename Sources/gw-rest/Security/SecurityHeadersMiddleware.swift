import HTTPTypes
import Hummingbird

/// Adds the security headers to every response: no MIME sniffing, no framing, a CSP that allows
/// nothing (the API serves no documents), no referrer, and `Cache-Control: no-store` (responses carry
/// deployment data and must not be cached by browsers or proxies).
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = RESTRequestContext

    static let headers: [(HTTPField.Name, String)] = [
        (.xContentTypeOptions, "nosniff"),
        (HTTPField.Name("X-Frame-Options")!, "DENY"),
        (.contentSecurityPolicy, "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
        (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
        (.cacheControl, "no-store"),
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        for (name, value) in Self.headers {
            response.headers[name] = value
        }
        return response
    }
}
