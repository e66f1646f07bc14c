import Hummingbird

/// Refuses a request whose declared `Content-Length` exceeds the limit before reading any of it.
/// Bodies without a length (chunked) are bounded where they are read (``RequestBodyReader``).
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = RESTRequestContext

    let maximumBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength], let length = Int(declared), length > maximumBytes {
            throw APIProblem(.contentTooLarge, "the body is \(length) bytes; the limit is \(maximumBytes)")
        }
        return try await next(request, context)
    }
}
