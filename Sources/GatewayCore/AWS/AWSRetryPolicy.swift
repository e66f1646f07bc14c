/// How often and how patiently a call is retried: the AWS SDKs' "standard" mode. Throttling, transient
/// errors, 5xx answers, connection failures and timeouts are retried after a fully jittered exponential
/// delay, `random(0, 1) × base × 2^attempt`, capped.
public struct AWSRetryPolicy: Sendable, Equatable {
    /// Total attempts, the first one included.
    public var maxAttempts: Int
    /// Base of the exponential delay.
    public var baseDelay: Duration
    /// Upper bound of one delay.
    public var maxDelay: Duration

    public init(maxAttempts: Int = 3, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// No retries.
    public static let none = AWSRetryPolicy(maxAttempts: 1)

    /// The delay before retry number `retry` (1 for the first retry), jittered with `random` in [0, 1].
    public func delay(beforeRetry retry: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let ceiling = min(baseDelay * (1 << exponent), maxDelay)
        return ceiling * min(max(random, 0), 1)
    }
}
