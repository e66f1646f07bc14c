import GatewayProvision

/// What rendering the stored config produces: the files and the Terraform resources by type.
struct RenderSummaryResource: Encodable, Sendable {
    struct File: Encodable, Sendable {
        let path: String
        let bytes: Int
        let executable: Bool
    }

    let deployment: String
    let files: [File]
    let resourceCount: Int
    let resourcesByType: [String: Int]
    let dataSourcesByType: [String: Int]

    init(_ bundle: RenderedBundle) {
        deployment = bundle.summary.deployment
        files = bundle.files.map { File(path: $0.path, bytes: $0.contents.utf8.count, executable: $0.isExecutable) }
        resourceCount = bundle.summary.resourceCount
        resourcesByType = bundle.summary.resourcesByType
        dataSourcesByType = bundle.summary.dataSourcesByType
    }

    static var schema: JSONTree {
        let s = OpenAPISchemas.self
        let counts: JSONTree = ["type": "object", "additionalProperties": ["type": "integer", "minimum": 0]]
        return s.object(
            [
                ("deployment", s.string),
                ("files", s.array(of: s.object([("path", s.string), ("bytes", ["type": "integer", "minimum": 0]), ("executable", s.boolean)], required: ["path", "bytes", "executable"]))),
                ("resourceCount", ["type": "integer", "minimum": 0]),
                ("resourcesByType", counts),
                ("dataSourcesByType", counts),
            ],
            required: ["deployment", "files", "resourceCount", "resourcesByType", "dataSourcesByType"]
        )
    }
}
