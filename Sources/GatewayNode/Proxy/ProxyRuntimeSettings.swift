import GatewayCore

/// The configuration in the form the event loops use: nanoseconds and byte strings.
struct ProxyRuntimeSettings: Sendable {
    let idleTimeout: Int64
    let requestHeadTimeout: Int64
    let responseTimeout: Int64
    let longOperationTimeout: Int64
    let bodyIdleTimeout: Int64
    let expectContinueTimeout: Int64
    let connectTimeout: Int64
    let backendIdleTimeout: Int64
    let slowStart: Int64
    let maxHeadBytes: Int
    let maxBufferedInput: Int
    let retryBufferBytes: Int
    let maxAttempts: Int
    let maxIdleConnectionsPerBackend: Int
    let failureThreshold: Int
    let minimumHealthyBackends: Int
    let healthPath: [UInt8]
    let addForwardedHeaders: Bool
    let policy: BalancingPolicy
    let accessLogEnabled: Bool

    init(_ configuration: ProxyConfiguration) {
        idleTimeout = configuration.idleTimeout.proxyNanoseconds
        requestHeadTimeout = configuration.requestHeadTimeout.proxyNanoseconds
        responseTimeout = configuration.responseTimeout.proxyNanoseconds
        longOperationTimeout = configuration.longOperationTimeout.proxyNanoseconds
        bodyIdleTimeout = configuration.bodyIdleTimeout.proxyNanoseconds
        expectContinueTimeout = configuration.expectContinueTimeout.proxyNanoseconds
        connectTimeout = configuration.connectTimeout.proxyNanoseconds
        backendIdleTimeout = configuration.backendIdleTimeout.proxyNanoseconds
        slowStart = configuration.slowStart.proxyNanoseconds
        maxHeadBytes = configuration.maxHeadBytes
        maxBufferedInput = max(configuration.maxHeadBytes * 2, 256 * 1024)
        retryBufferBytes = configuration.retryBufferBytes
        maxAttempts = configuration.maxAttempts
        maxIdleConnectionsPerBackend = configuration.maxIdleConnectionsPerBackend
        failureThreshold = configuration.fall
        minimumHealthyBackends = configuration.minimumHealthyBackends
        healthPath = Array(configuration.healthPath.utf8)
        addForwardedHeaders = configuration.addForwardedHeaders
        policy = configuration.policy
        accessLogEnabled = configuration.accessLog != nil
    }
}
