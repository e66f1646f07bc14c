import Foundation

extension SSMClient {
    /// What Parameter Store says about a parameter without its value: nothing secret crosses the wire.
    public struct ParameterMetadata: Sendable, Equatable, Codable {
        public let name: String
        /// `String`, `StringList` or `SecureString`.
        public let type: String
        public let version: Int
        public let lastModified: Date?

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case type = "Type"
            case version = "Version"
            case lastModified = "LastModifiedDate"
        }

        public init(name: String, type: String, version: Int, lastModified: Date?) {
            self.name = name
            self.type = type
            self.version = version
            self.lastModified = lastModified
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            type = try container.decodeIfPresent(String.self, forKey: .type) ?? "String"
            version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 0
            lastModified = try container.decodeIfPresent(Double.self, forKey: .lastModified)
                .map { Date(timeIntervalSince1970: $0) }
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(type, forKey: .type)
            try container.encode(version, forKey: .version)
            try container.encodeIfPresent(lastModified?.timeIntervalSince1970, forKey: .lastModified)
        }
    }

    private struct DescribeParametersInput: Encodable {
        struct Filter: Encodable {
            let Key: String
            let Option: String
            let Values: [String]
        }
        let ParameterFilters: [Filter]
        let MaxResults: Int
        let NextToken: String?
    }

    private struct DescribeParametersOutput: Decodable {
        let Parameters: [ParameterMetadata]?
        let NextToken: String?
    }

    /// How many names one `DescribeParameters` filter may hold.
    static let namesPerFilter = 50

    /// `DescribeParameters` of the parameters named `names` (exact names), following pages: the ones that
    /// exist, never their values. A name missing from the answer does not exist (or is not visible to the caller).
    public func describeParameters(names: [String]) async throws -> [ParameterMetadata] {
        var found: [ParameterMetadata] = []
        let unique = Array(Set(names)).sorted()
        for start in stride(from: 0, to: unique.count, by: Self.namesPerFilter) {
            let batch = Array(unique[start..<min(start + Self.namesPerFilter, unique.count)])
            var nextToken: String?
            repeat {
                let page = try await client.json(
                    "DescribeParameters",
                    DescribeParametersInput(
                        ParameterFilters: [.init(Key: "Name", Option: "Equals", Values: batch)], MaxResults: 50,
                        NextToken: nextToken),
                    as: DescribeParametersOutput.self)
                found.append(contentsOf: page.Parameters ?? [])
                nextToken = AWSEnvironment.nonEmpty(page.NextToken)
            } while nextToken != nil
        }
        return found
    }
}
