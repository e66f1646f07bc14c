import Foundation
import Testing

@testable import GatewayCore

/// Shared helpers for the core tests.
enum TestSupport {
    /// The package root, found from this file's path.
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let exampleConfigPath = packageRoot.appendingPathComponent("Examples/gateway.yaml").path

    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gw-core-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Problems of a config text: load problems, or validation problems of the loaded config.
    static func problems(_ yaml: String) -> [ConfigProblem] {
        do {
            return try ConfigLoader.load(text: yaml).validate()
        } catch {
            return error.allProblems()
        }
    }

    /// A valid config text to derive cases from (the example with literal secrets).
    static let validYAML = """
        project: {name: s3-gateway, environment: prod, region: us-east-1}
        compute: {amiId: ami-0123456789abcdef0}
        dns: {zoneName: example.com}
        filespaces:
          - {name: mycompany.dmpfs, user: gateway@example.com, password: "env:LL_PASSWORD"}
        gateway: {rootAccessKey: "env:S3_KEY", rootSecretKey: "env:S3_SECRET"}
        image: {lucidLinkVersion: 3.2.6817, lucidLinkSha256: 9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0}
        """
}
