import Foundation

/// AWS Systems Manager Parameter Store: the deployment's secrets as SecureString parameters.
public struct SSMClient: Sendable {
    public let client: AWSClient

    public init(configuration: AWSConfiguration) throws {
        client = try AWSClient(service: .ssm, configuration: configuration)
    }

    /// A parameter. Its value is redacted from every textual form.
    public struct Parameter: Sendable, Equatable, Decodable, CustomStringConvertible, CustomReflectable {
        public let name: String
        /// `String`, `StringList` or `SecureString`.
        public let type: String
        /// The (decrypted, when asked for) value.
        public let value: String
        public let version: Int
        public let lastModified: Date?

        enum CodingKeys: String, CodingKey {
            case name = "Name"
            case type = "Type"
            case value = "Value"
            case version = "Version"
            case lastModified = "LastModifiedDate"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            type = try container.decodeIfPresent(String.self, forKey: .type) ?? "String"
            value = try container.decodeIfPresent(String.self, forKey: .value) ?? ""
            version = try container.decodeIfPresent(Int.self, forKey: .version) ?? 0
            lastModified = try container.decodeIfPresent(Double.self, forKey: .lastModified)
                .map { Date(timeIntervalSince1970: $0) }
        }

        public var description: String { "SSM parameter \(name) (\(type), version \(version), value <redacted>)" }
        public var customMirror: Mirror {
            Mirror(self, children: ["name": name, "type": type, "version": version], displayStyle: .struct)
        }
    }

    private struct GetParameterInput: Encodable {
        let Name: String
        let WithDecryption: Bool
    }

    private struct GetParameterOutput: Decodable {
        let Parameter: Parameter
    }

    private struct GetParametersByPathInput: Encodable {
        let Path: String
        let Recursive: Bool
        let WithDecryption: Bool
        let NextToken: String?
    }

    private struct GetParametersByPathOutput: Decodable {
        let Parameters: [Parameter]?
        let NextToken: String?
    }

    private struct PutParameterInput: Encodable {
        let Name: String
        let Value: String
        let `Type`: String
        let Overwrite: Bool
        let KeyId: String?
        let Description: String?
    }

    private struct PutParameterOutput: Decodable {
        let Version: Int?
    }

    /// `GetParameter`; SecureString values are decrypted when `withDecryption`.
    public func getParameter(name: String, withDecryption: Bool = true) async throws -> Parameter {
        try await client.json(
            "GetParameter", GetParameterInput(Name: name, WithDecryption: withDecryption), as: GetParameterOutput.self
        ).Parameter
    }

    /// `GetParametersByPath`, following pages.
    public func getParametersByPath(path: String, recursive: Bool = true, withDecryption: Bool = false) async throws
        -> [Parameter]
    {
        var parameters: [Parameter] = []
        var nextToken: String?
        repeat {
            let page = try await client.json(
                "GetParametersByPath",
                GetParametersByPathInput(Path: path, Recursive: recursive, WithDecryption: withDecryption, NextToken: nextToken),
                as: GetParametersByPathOutput.self)
            parameters.append(contentsOf: page.Parameters ?? [])
            nextToken = AWSEnvironment.nonEmpty(page.NextToken)
        } while nextToken != nil
        return parameters
    }

    /// `PutParameter` of a SecureString (encrypted with `keyID`, else the account's `aws/ssm` key);
    /// returns the new version.
    @discardableResult
    public func putSecureString(
        name: String, value: String, overwrite: Bool = true, keyID: String? = nil, description: String? = nil
    ) async throws -> Int {
        try await client.json(
            "PutParameter",
            PutParameterInput(
                Name: name, Value: value, Type: "SecureString", Overwrite: overwrite, KeyId: keyID, Description: description),
            as: PutParameterOutput.self
        ).Version ?? 0
    }
}
