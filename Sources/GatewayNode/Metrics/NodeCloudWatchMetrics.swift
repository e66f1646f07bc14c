import CoreMetrics
import GatewayCore
import Logging

/// The node's CloudWatch metrics: a factory tagging every series with the deployment and the instance,
/// and the publisher sending it on the node config's interval, with the instance role's credentials.
public struct NodeCloudWatchMetrics: Sendable {
    public let factory: CloudWatchMetricsFactory
    public let publisher: CloudWatchMetricsPublisher

    /// - Parameters:
    ///   - node: The node config (`metrics.namespace`, `metrics.publishIntervalSeconds`, `deployment`, `region`).
    ///   - instanceID: This instance's id (from `InstanceMetadataClient.instanceID()`), the `instance` dimension.
    ///   - aws: The AWS access to publish with (on the instance: `AWSConfiguration.resolve(region: node.region)`).
    public init(
        node: NodeConfig, instanceID: String, aws: AWSConfiguration, maximumSeries: Int = 10_000,
        logger: Logger = Logger(label: "gateway.metrics.cloudwatch")
    ) throws {
        factory = CloudWatchMetricsFactory(
            defaultDimensions: [("deployment", node.deployment), ("instance", instanceID)], maximumSeries: maximumSeries)
        publisher = CloudWatchMetricsPublisher(
            factory: factory, namespace: node.metrics.namespace,
            interval: .seconds(max(1, node.metrics.publishIntervalSeconds)), client: try CloudWatchClient(configuration: aws),
            logger: logger)
    }
}
