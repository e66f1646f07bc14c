import Foundation
import GatewayCore
import Synchronization

/// How the node runtime reads its secrets: `env:` and `file:` references directly, `ssm:` parameters
/// (what rendered node configs use) through the AWS client with the instance role's credentials (the
/// default credential chain), in the node's region. The SSM client is made on first use, so a node
/// config without `ssm:` secrets needs no AWS access at all.
public enum NodeSecrets {
    /// A resolver for a node.
    /// - Parameters:
    ///   - region: The node's AWS region.
    ///   - environment: Environment for `env:` secrets and the AWS settings (credentials, endpoints).
    public static func resolver(region: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> SecretResolver {
        let client = LazySSMClient(region: region, environment: environment)
        return SecretResolver(environment: environment) { name in
            try await client.get().getParameter(name: name, withDecryption: true).value
        }
    }
}

/// An SSM client made on first use and then shared.
private final class LazySSMClient: Sendable {
    private let region: String
    private let environment: [String: String]
    private let client = Mutex<SSMClient?>(nil)

    init(region: String, environment: [String: String]) {
        self.region = region
        self.environment = environment
    }

    func get() throws -> SSMClient {
        try client.withLock { client in
            if let client { return client }
            let configuration = try AWSConfiguration.resolve(region: region, environment: AWSEnvironment(variables: environment))
            let made = try SSMClient(configuration: configuration)
            client = made
            return made
        }
    }
}
