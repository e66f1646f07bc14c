/// An error answer from an AWS API: the service's error code and message, the HTTP status and the request id.
/// It never carries request headers, parameters or bodies.
public struct AWSError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The service, e.g. `autoscaling`.
    public let service: String
    /// The API action, e.g. `StartInstanceRefresh`.
    public let action: String
    /// AWS's error code, e.g. `ValidationError`, `ParameterNotFound`, `SignatureDoesNotMatch`.
    public let code: String
    /// AWS's message.
    public let message: String
    /// HTTP status of the response.
    public let httpStatus: Int
    /// The request id AWS assigned (quote it to AWS support), when the response had one.
    public let requestID: String?

    public init(service: String, action: String, code: String, message: String, httpStatus: Int, requestID: String?) {
        self.service = service
        self.action = action
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.requestID = requestID
    }

    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException",
    ]
    static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure", "ServiceUnavailable",
        "IDPCommunicationError",
    ]

    /// Whether AWS asked the caller to slow down.
    public var isThrottling: Bool { Self.throttlingCodes.contains(code) || httpStatus == 429 }

    /// Whether another attempt may succeed: throttling, transient errors and 5xx answers.
    public var isRetryable: Bool { isThrottling || Self.transientCodes.contains(code) || (500...599).contains(httpStatus) }

    /// Whether the credentials were refused (bad key, bad signature, expired token).
    public var isAuthenticationFailure: Bool {
        [
            "SignatureDoesNotMatch", "InvalidClientTokenId", "UnrecognizedClientException", "AuthFailure",
            "InvalidAccessKeyId", "ExpiredToken", "ExpiredTokenException", "IncompleteSignature",
            "InvalidSignatureException", "MissingAuthenticationToken",
        ].contains(code)
    }

    public var description: String {
        "\(service) \(action) failed: \(code) (HTTP \(httpStatus)): \(message)"
            + (requestID.map { " [request id \($0)]" } ?? "")
    }
}
