import HTTPTypes
import Hummingbird

/// One operation of the API: its route, its description for the OpenAPI document and its handler.
///
/// The router, the 405 answers and `/openapi.json` are all built from the same list of operations, so
/// the document describes exactly the routes that exist.
struct APIOperation: Sendable {
    typealias Handler = @Sendable (Request, RESTRequestContext) async throws -> Response

    /// HTTP method.
    let method: HTTPRequest.Method
    /// Path template in OpenAPI form, e.g. `/v1/deployments/{name}`.
    let path: String
    /// `operationId`.
    let id: String
    /// One-line summary.
    let summary: String
    /// Longer description, if any.
    var description: String?
    /// Grouping tag.
    let tag: String
    /// Whether a bearer token is required.
    var authenticated = true
    /// Path and header parameters.
    var parameters: [APIParameter] = []
    /// Request body, if the operation takes one.
    var requestBody: APIRequestBody?
    /// Responses other than the generic ones every authenticated operation has (401, 500).
    let responses: [APIResponse]
    /// The handler.
    let handler: Handler

    /// The path in Hummingbird's router syntax (`:name` for `{name}`).
    var routerPath: String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : segment
        }.joined(separator: "/")
    }

    /// Whether a concrete path matches this operation's template.
    func matches(path concrete: String) -> Bool {
        let template = path.split(separator: "/", omittingEmptySubsequences: false)
        let actual = concrete.split(separator: "/", omittingEmptySubsequences: false)
        guard template.count == actual.count else { return false }
        return zip(template, actual).allSatisfy { pattern, segment in
            (pattern.hasPrefix("{") && !segment.isEmpty) || pattern == segment
        }
    }
}

/// A path or header parameter.
struct APIParameter: Sendable {
    enum Location: String, Sendable { case path, header }
    let name: String
    let location: Location
    let description: String
    let schema: JSONTree
    /// A valid value, for readers and test generators.
    var example: JSONTree?
    var required: Bool { location == .path }
}

/// A request body: the media types it may come in, each with its schema (and a valid example).
struct APIRequestBody: Sendable {
    let description: String
    let content: [(mediaType: String, schema: JSONTree)]
    /// A valid JSON body, shown as the `application/json` example.
    var example: JSONTree?
}

/// An OpenAPI link: how a response's values feed another operation's parameters.
struct APILink: Sendable {
    let name: String
    let operationID: String
    /// Parameter name → runtime expression, e.g. `$response.body#/id`.
    let parameters: [(String, String)]
}

/// One documented response.
struct APIResponse: Sendable {
    let status: Int
    let description: String
    /// Media type and schema of the body, if there is one.
    var content: [(mediaType: String, schema: JSONTree)] = []
    /// Response headers worth documenting (name → schema).
    var headers: [(name: String, description: String, schema: JSONTree)] = []
    /// Operations this response leads to.
    var links: [APILink] = []

    /// A JSON response whose body is a component schema.
    static func json(_ status: Int, _ description: String, schema: String, headers: [(name: String, description: String, schema: JSONTree)] = [], links: [APILink] = []) -> APIResponse {
        APIResponse(status: status, description: description, content: [(JSONBody.mediaType, OpenAPISchemas.reference(schema))], headers: headers, links: links)
    }

    /// A problem+json response.
    static func problem(_ status: Int, _ description: String, headers: [(name: String, description: String, schema: JSONTree)] = []) -> APIResponse {
        APIResponse(status: status, description: description, content: [(JSONBody.problemMediaType, OpenAPISchemas.reference("Problem"))], headers: headers)
    }
}
