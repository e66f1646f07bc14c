import Foundation
import GatewayCore

extension ProxyConfiguration {
    /// The proxy settings of a node: the `proxy` section for the proxy itself and the `gateways`
    /// section for the backends (one VersityGW per port on 127.0.0.1, checked on its health path).
    /// Settings the node config does not carry keep their defaults.
    public init(node: NodeConfig) {
        self.init()
        let proxy = node.proxy
        listen = ProxyListenAddress(host: "0.0.0.0", port: proxy.listenPort)
        backends = node.gateways.ports.map { ProxyBackendURL(host: "127.0.0.1", port: $0) }
        healthPath = proxy.healthPath
        backendHealthPath = node.gateways.healthPath
        policy = proxy.policy
        healthInterval = Self.duration(proxy.healthIntervalSeconds)
        healthTimeout = Self.duration(proxy.healthTimeoutSeconds)
        fastHealthInterval = min(fastHealthInterval, healthInterval)
        rise = proxy.rise
        fall = proxy.fall
        minimumHealthyBackends = proxy.minHealthyBackends
        connectTimeout = Self.duration(proxy.connectTimeoutSeconds)
        idleTimeout = Self.duration(proxy.idleTimeoutSeconds)
        responseTimeout = Self.duration(proxy.responseTimeoutSeconds)
        longOperationTimeout = max(longOperationTimeout, responseTimeout)
        drainPeriod = Self.duration(proxy.drainSeconds)
        maxConnections = proxy.maxConnections
        metricsListen = proxy.metricsPort > 0 && node.metrics.prometheus ? ProxyListenAddress(host: "127.0.0.1", port: proxy.metricsPort) : nil
        switch proxy.accessLog {
        case "": accessLog = nil
        case "-": accessLog = .standardOutput
        default: accessLog = .file(proxy.accessLog)
        }
    }

    /// Reads a node config file (`node.json`, as rendered into the node bundle) and maps it with
    /// ``init(node:)``. Errors name the file and what is wrong with it.
    public init(nodeConfigFile path: String) throws(ProxyConfigurationError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ProxyConfigurationError(field: "node-config", message: "cannot read '\(path)': \(error.localizedDescription)", hint: "give the path of the node's node.json")
        }
        do {
            self.init(node: try JSONDecoder().decode(NodeConfig.self, from: data))
        } catch let error as DecodingError {
            throw ProxyConfigurationError(field: "node-config", message: "'\(path)' is not a valid node config: \(Self.describe(error))", hint: "render it with gw-cli render, or fix the named field")
        } catch {
            throw ProxyConfigurationError(field: "node-config", message: "'\(path)' is not a valid node config: \(error)", hint: "render it with gw-cli render")
        }
    }

    private static func duration(_ seconds: Double) -> Duration {
        guard seconds.isFinite, seconds > 0 else { return .zero }
        return .nanoseconds(Int64((min(seconds, 31_536_000) * 1e9).rounded()))
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : (text.isEmpty ? "(top level)" : text)
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)).\(key.stringValue) is missing".replacingOccurrences(of: "(top level).", with: "")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
