import Hummingbird
import NIOCore

/// `GET /openapi.json`: the OpenAPI 3.1 document, encoded once at startup.
struct OpenAPIController: Sendable {
    let document: ByteBuffer

    /// Encodes the document describing the given operations and this route itself.
    init(describing operations: [APIOperation]) throws {
        let all = operations + [Self.operation(handler: { _, _ in Response(status: .ok) })]
        document = ByteBuffer(bytes: try JSONBody.encode(OpenAPIDocument.build(operations: all)))
    }

    var operations: [APIOperation] {
        let document = document
        return [
            Self.operation { _, _ in
                Response(status: .ok, headers: [.contentType: JSONBody.mediaType], body: .init(byteBuffer: document))
            }
        ]
    }

    private static func operation(handler: @escaping APIOperation.Handler) -> APIOperation {
        APIOperation(
            method: .get, path: "/openapi.json", id: "openAPIDocument",
            summary: "This API's OpenAPI 3.1 document",
            tag: "service",
            responses: [APIResponse(status: 200, description: "The OpenAPI document.", content: [(JSONBody.mediaType, ["type": "object"])])],
            handler: handler
        )
    }
}
