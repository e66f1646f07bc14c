import GatewayCore

/// The OpenAPI 3.1 document of the API, built from the same operations the router serves.
enum OpenAPIDocument {
    /// The document as a JSON value.
    static func build(operations: [APIOperation]) -> JSONTree {
        var paths: [(String, JSONTree)] = []
        for path in orderedUnique(operations.map(\.path)) {
            let entries = operations.filter { $0.path == path }.map { operation in
                (operation.method.rawValue.lowercased(), describe(operation))
            }
            paths.append((path, .object(entries)))
        }
        return [
            "openapi": "3.1.0",
            "info": [
                "title": "gateway REST API (gw-rest)",
                "version": .string(GatewayVersion.current),
                "description": "Deploy and operate S3 gateways for LucidLink filespaces. Every route except /healthz requires a bearer token. Errors are RFC 9457 problem+json documents.",
            ],
            "security": [["bearerAuth": []]],
            "paths": .object(paths),
            "components": [
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer"]],
                "schemas": .object(OpenAPISchemas.all()),
            ],
        ]
    }

    private static func describe(_ operation: APIOperation) -> JSONTree {
        var entries: [(String, JSONTree)] = [
            ("operationId", .string(operation.id)),
            ("summary", .string(operation.summary)),
            ("tags", [.string(operation.tag)]),
        ]
        if let description = operation.description { entries.append(("description", .string(description))) }
        if !operation.authenticated { entries.append(("security", [])) }
        if !operation.parameters.isEmpty {
            entries.append(
                (
                    "parameters",
                    .array(
                        operation.parameters.map { parameter in
                            var fields: JSONTree = [
                                "name": .string(parameter.name),
                                "in": .string(parameter.location.rawValue),
                                "required": .bool(parameter.required),
                                "description": .string(parameter.description),
                                "schema": parameter.schema,
                            ]
                            if let example = parameter.example { fields = fields.setting("example", to: example) }
                            return fields
                        })
                ))
        }
        if let body = operation.requestBody {
            entries.append(
                (
                    "requestBody",
                    [
                        "required": true,
                        "description": .string(body.description),
                        "content": .object(
                            body.content.map { content in
                                var media: JSONTree = ["schema": content.schema]
                                if content.mediaType == JSONBody.mediaType, let example = body.example { media = media.setting("example", to: example) }
                                return (content.mediaType, media)
                            }),
                    ]
                ))
        }
        var responses = operation.responses
        if operation.authenticated {
            responses.append(.problem(401, "No valid bearer token.", headers: [("WWW-Authenticate", "The authentication scheme (Bearer).", OpenAPISchemas.string)]))
        }
        responses.append(.problem(405, "The path exists but not with this method.", headers: [("Allow", "The methods the path supports.", OpenAPISchemas.string)]))
        responses.append(.problem(500, "Unexpected failure; the detail says nothing about the cause."))
        let sorted = responses.sorted { $0.status < $1.status }
        entries.append(
            (
                "responses",
                .object(
                    sorted.map { response in
                        var body: [(String, JSONTree)] = [("description", .string(response.description))]
                        if !response.content.isEmpty {
                            body.append(("content", .object(response.content.map { ($0.mediaType, ["schema": $0.schema]) })))
                        }
                        if !response.links.isEmpty {
                            body.append(
                                (
                                    "links",
                                    .object(
                                        response.links.map { link in
                                            (link.name, ["operationId": .string(link.operationID), "parameters": .object(link.parameters.map { ($0.0, .string($0.1)) })])
                                        })
                                ))
                        }
                        if !response.headers.isEmpty {
                            body.append(
                                (
                                    "headers",
                                    .object(
                                        response.headers.map { header in
                                            (header.name, ["description": .string(header.description), "schema": header.schema])
                                        })
                                ))
                        }
                        return (String(response.status), .object(body))
                    })
            ))
        return .object(entries)
    }

    private static func orderedUnique(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
