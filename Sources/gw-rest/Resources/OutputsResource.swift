import GatewayProvision

/// A deployment's terraform outputs; sensitive values are withheld.
struct OutputsResource: Encodable, Sendable {
    struct Output: Encodable, Sendable {
        let sensitive: Bool
        /// The value; absent for sensitive outputs.
        let value: TerraformValue?
    }

    let outputs: [String: Output]

    init(_ outputs: [String: TerraformOutput]) {
        self.outputs = outputs.mapValues { output in
            Output(sensitive: output.sensitive, value: output.sensitive ? nil : output.value)
        }
    }

    static var schema: JSONTree {
        let s = OpenAPISchemas.self
        return s.object(
            [
                (
                    "outputs",
                    ["type": "object", "additionalProperties": s.object([("sensitive", s.boolean), ("value", ["description": "Any JSON value; absent when sensitive."])], required: ["sensitive"])]
                )
            ],
            required: ["outputs"]
        )
    }
}
