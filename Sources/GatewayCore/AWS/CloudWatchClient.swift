import Foundation

/// Amazon CloudWatch: publishing metric data.
public struct CloudWatchClient: Sendable {
    public let client: AWSClient

    /// CloudWatch accepts at most this many data in one `PutMetricData`.
    public static let maxDataPerRequest = 1000
    /// ... and at most this many dimensions per datum.
    public static let maxDimensions = 30

    public init(configuration: AWSConfiguration) throws {
        client = try AWSClient(service: .cloudWatch, configuration: configuration)
    }

    /// Aggregated values of a datum: count, sum, minimum, maximum.
    public struct StatisticSet: Sendable, Equatable {
        public var sampleCount: Double
        public var sum: Double
        public var minimum: Double
        public var maximum: Double

        public init(sampleCount: Double, sum: Double, minimum: Double, maximum: Double) {
            self.sampleCount = sampleCount
            self.sum = sum
            self.minimum = minimum
            self.maximum = maximum
        }
    }

    /// One metric datum: a single value or a statistic set.
    public struct MetricDatum: Sendable, Equatable {
        public enum Value: Sendable, Equatable {
            case single(Double)
            case statistics(StatisticSet)
        }

        public var name: String
        public var dimensions: [(name: String, value: String)]
        public var timestamp: Date?
        public var value: Value
        /// CloudWatch unit name, e.g. `Count`, `Seconds`, `Bytes`, `None`.
        public var unit: String?
        /// 1 for high resolution, 60 (default) for standard.
        public var storageResolution: Int?

        public init(
            name: String, dimensions: [(name: String, value: String)] = [], timestamp: Date? = nil, value: Value,
            unit: String? = nil, storageResolution: Int? = nil
        ) {
            self.name = name
            self.dimensions = dimensions
            self.timestamp = timestamp
            self.value = value
            self.unit = unit
            self.storageResolution = storageResolution
        }

        public static func == (lhs: MetricDatum, rhs: MetricDatum) -> Bool {
            lhs.name == rhs.name && lhs.dimensions.elementsEqual(rhs.dimensions, by: { $0 == $1 })
                && lhs.timestamp == rhs.timestamp && lhs.value == rhs.value && lhs.unit == rhs.unit
                && lhs.storageResolution == rhs.storageResolution
        }

        /// Bytes this datum adds to a `PutMetricData` form body at 1-based `position` (for batching under
        /// CloudWatch's 1 MB request limit).
        public func formEncodedSize(position: Int) -> Int {
            var parameters = QueryParameters()
            encode(prefix: "MetricData.member.\(position)", into: &parameters)
            return AWSPercentEncoding.formBody(parameters.pairs).utf8.count + 1
        }

        func encode(prefix: String, into parameters: inout QueryParameters) {
            parameters.add("\(prefix).MetricName", name)
            for (index, dimension) in dimensions.prefix(CloudWatchClient.maxDimensions).enumerated() {
                parameters.add("\(prefix).Dimensions.member.\(index + 1).Name", dimension.name)
                parameters.add("\(prefix).Dimensions.member.\(index + 1).Value", dimension.value)
            }
            parameters.add("\(prefix).Timestamp", timestamp.map(AWSTimestamp.iso8601))
            switch value {
            case .single(let number):
                parameters.add("\(prefix).Value", number)
            case .statistics(let set):
                parameters.add("\(prefix).StatisticValues.SampleCount", set.sampleCount)
                parameters.add("\(prefix).StatisticValues.Sum", set.sum)
                parameters.add("\(prefix).StatisticValues.Minimum", set.minimum)
                parameters.add("\(prefix).StatisticValues.Maximum", set.maximum)
            }
            parameters.add("\(prefix).Unit", unit)
            parameters.add("\(prefix).StorageResolution", storageResolution)
        }
    }

    /// `PutMetricData` of up to `maxDataPerRequest` data in `namespace`.
    public func putMetricData(namespace: String, data: [MetricDatum]) async throws {
        var parameters = QueryParameters()
        parameters.add("Namespace", namespace)
        for (index, datum) in data.enumerated() {
            datum.encode(prefix: "MetricData.member.\(index + 1)", into: &parameters)
        }
        _ = try await client.query("PutMetricData", parameters)
    }
}
