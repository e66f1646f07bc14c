/// What the loader knows about the shape of a config file: every key with its type and default (from
/// the default ``GatewayConfig``), the allowed values of enumerations and the maps with free-form keys.
struct ConfigSchema: Sendable {
    /// The default config as a tree.
    let defaults: ConfigNode

    /// Enumerated fields by path pattern (`[]` stands for any index).
    static let enumerations: [String: [String]] = [
        "network.natGateways": NATMode.allCases.map(\.rawValue),
        "loadBalancer.type": LoadBalancerType.allCases.map(\.rawValue),
        "dns.certificate": CertificateMode.allCases.map(\.rawValue),
        "dns.validationMethod": CertificateValidation.allCases.map(\.rawValue),
        "proxy.policy": BalancingPolicy.allCases.map(\.rawValue),
        "state.kind": StateBackendKind.allCases.map(\.rawValue),
        "gateway.buckets": BucketLayout.allCases.map(\.rawValue),
    ]

    /// Fields holding secrets (`env:NAME`, `file:PATH`, `ssm:/PATH` or a literal).
    static let secretFields: Set<String> = [
        "aws.accessKeyId", "aws.secretAccessKey", "gateway.rootAccessKey", "gateway.rootSecretKey", "filespaces[].password",
    ]

    /// Numeric fields that take fractions (`Double`); every other number is a whole number.
    static let fractionalFields: Set<String> = [
        "proxy.healthIntervalSeconds", "proxy.healthTimeoutSeconds", "proxy.connectTimeoutSeconds",
        "proxy.idleTimeoutSeconds", "proxy.responseTimeoutSeconds", "proxy.drainSeconds",
    ]

    /// Maps whose keys are free-form.
    static let openMaps: Set<String> = ["project.tags", "gateway.environment"]

    static let shared = ConfigSchema()

    private init() {
        // The default config always encodes; a failure here is a programming error caught by every test.
        defaults = (try? ConfigNode(encoding: GatewayConfig())) ?? ConfigNode(.object([]))
    }

    /// The pattern of a concrete path: indices become `[]`.
    static func pattern(of path: String) -> String {
        var result = ""
        var inIndex = false
        for character in path {
            if character == "[" {
                inIndex = true
                result += "[]"
            } else if character == "]" {
                inIndex = false
            } else if !inIndex {
                result.append(character)
            }
        }
        return result
    }
}
