import Hummingbird

/// Requires `Authorization: Bearer <token>` with one of the configured tokens on every route except
/// the unauthenticated ones (`/healthz`); answers 401 with `WWW-Authenticate` otherwise.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = RESTRequestContext

    let tokens: BearerTokens
    let openPaths: Set<String>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization] else {
            throw APIProblem(.unauthorized, "send the token as `Authorization: Bearer <token>`")
        }
        guard let token = Self.bearerToken(in: header), let digest = tokens.authenticate(token) else {
            throw APIProblem(.unauthorized, "the bearer token is not valid")
        }
        var context = context
        context.caller = digest.shortID
        context.logger[metadataKey: "caller"] = .string(digest.shortID)
        return try await next(request, context)
    }

    /// The token of a `Bearer` credential (scheme case-insensitive, RFC 7235), or `nil`.
    static func bearerToken(in header: String) -> Substring? {
        let trimmed = Substring(header).trimmingWhitespace()
        guard let space = trimmed.firstIndex(of: " ") else { return nil }
        guard trimmed[..<space].lowercased() == "bearer" else { return nil }
        let token = trimmed[space...].trimmingWhitespace()
        return token.isEmpty || token.contains(" ") ? nil : token
    }
}
