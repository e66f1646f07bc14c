import HTTPTypes
import Hummingbird
import NIOCore

/// Turns every error into an RFC 9457 problem response. Known problems keep their kind; a path that
/// exists with other methods gets 405 and `Allow`; anything unexpected becomes a bare 500 whose detail
/// says nothing about the cause (the log records the error's type, never its text, which could quote
/// input or a secret).
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = RESTRequestContext

    /// Method and path template of every route, for 405 answers.
    let routes: [(method: HTTPRequest.Method, operation: APIOperation)]

    init(operations: [APIOperation]) {
        routes = operations.map { ($0.method, $0) }
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as APIProblem {
            return problem.response(instance: request.uri.path)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.filter { $0.operation.matches(path: request.uri.path) }.map(\.method.rawValue)
            if !allowed.isEmpty {
                return APIProblem(.methodNotAllowed, "\(request.uri.path) supports \(allowed.joined(separator: ", "))", allowedMethods: allowed)
                    .response(instance: request.uri.path)
            }
            return APIProblem(.notFound, "there is no resource at \(request.uri.path)").response(instance: request.uri.path)
        } catch is NIOTooManyBytesError {
            return APIProblem(.contentTooLarge, "the body is larger than the limit").response(instance: request.uri.path)
        } catch let error as any HTTPResponseError {
            let kind: APIProblem.Kind =
                switch error.status {
                case .badRequest: .malformedRequest
                case .notFound: .notFound
                case .contentTooLarge: .contentTooLarge
                case .unsupportedMediaType: .unsupportedMediaType
                default: .internalError
                }
            if kind == .internalError {
                context.logger.error("request failed", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
            }
            return APIProblem(kind, kind == .internalError ? "the request could not be completed" : kind.title.lowercased())
                .response(instance: request.uri.path)
        } catch {
            context.logger.error("request failed", metadata: ["error.type": .string(String(reflecting: type(of: error)))])
            return APIProblem(.internalError, "the request could not be completed").response(instance: request.uri.path)
        }
    }
}
