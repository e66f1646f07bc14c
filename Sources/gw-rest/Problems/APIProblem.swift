import GatewayCore
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: every error the API returns, as `application/problem+json`.
///
/// `type` is a stable URN per kind of problem (``Kind``), so clients can branch on it; `title` is the
/// kind's fixed summary and `detail` explains this occurrence. Details are written by the front from
/// known facts (a name, a limit, a run id); they never carry an underlying error's text, a stack trace
/// or a secret.
struct APIProblem: Error, Sendable, Encodable {
    /// The kinds of problem, each with its status, `type` URN and title.
    enum Kind: String, Sendable, CaseIterable {
        case malformedRequest = "malformed-request"
        case unauthorized
        case notFound = "not-found"
        case methodNotAllowed = "method-not-allowed"
        case deploymentBusy = "deployment-busy"
        case planRejected = "plan-rejected"
        case noImage = "no-image"
        case resourcesExist = "resources-exist"
        case runNotRunning = "run-not-running"
        case notConfigured = "not-configured"
        case conflict
        case contentTooLarge = "content-too-large"
        case unsupportedMediaType = "unsupported-media-type"
        case invalidConfig = "invalid-config"
        case confirmationMismatch = "confirmation-mismatch"
        case nodeBinaryRefused = "node-binary-refused"
        case shuttingDown = "shutting-down"
        case toolUnavailable = "tool-unavailable"
        case notDeployed = "not-deployed"
        case awsError = "aws-error"
        case awsUnavailable = "aws-unavailable"
        case internalError = "internal-error"

        /// The HTTP status of this kind.
        var status: HTTPResponse.Status {
            switch self {
            case .malformedRequest: .badRequest
            case .unauthorized: .unauthorized
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .deploymentBusy, .planRejected, .noImage, .resourcesExist, .runNotRunning, .notConfigured, .conflict, .notDeployed: .conflict
            case .contentTooLarge: .contentTooLarge
            case .unsupportedMediaType: .unsupportedMediaType
            case .invalidConfig, .confirmationMismatch, .nodeBinaryRefused: .unprocessableContent
            case .shuttingDown, .toolUnavailable, .awsUnavailable: .serviceUnavailable
            case .awsError: .badGateway
            case .internalError: .internalServerError
            }
        }

        /// The stable `type` URI.
        var typeURI: String { "urn:gateway:problem:\(rawValue)" }

        /// The fixed, human-readable summary.
        var title: String {
            switch self {
            case .malformedRequest: "The request is malformed"
            case .unauthorized: "Authentication is required"
            case .notFound: "No such resource"
            case .methodNotAllowed: "Method not allowed on this resource"
            case .deploymentBusy: "The deployment is busy with another run"
            case .planRejected: "The saved plan cannot be applied"
            case .noImage: "No AMI is known for the deployment"
            case .resourcesExist: "The deployment still has resources"
            case .runNotRunning: "The run is not running"
            case .notConfigured: "The deployment has no stored config"
            case .conflict: "The request conflicts with the resource's state"
            case .contentTooLarge: "The request body is too large"
            case .unsupportedMediaType: "Unsupported content type"
            case .invalidConfig: "The config is invalid"
            case .confirmationMismatch: "The confirmation does not name the deployment"
            case .nodeBinaryRefused: "The node binary cannot start on the image"
            case .shuttingDown: "The server is shutting down"
            case .toolUnavailable: "A tool the run needs is not available on the server"
            case .notDeployed: "The deployment's resources do not exist in AWS"
            case .awsError: "AWS refused the request"
            case .awsUnavailable: "AWS cannot be reached with the server's credentials"
            case .internalError: "Internal server error"
            }
        }
    }

    /// The kind of problem.
    let kind: Kind
    /// What happened in this case.
    let detail: String
    /// The request path the problem is about.
    var instance: String?
    /// For ``Kind/invalidConfig``: every problem in the config.
    var problems: [ConfigProblem]?
    /// For problems with a run's options: each, with its stable code and the member concerned.
    var actionProblems: [ActionProblemResource]?
    /// For ``Kind/deploymentBusy``: the run holding the deployment.
    var runningRun: String?
    /// For ``Kind/methodNotAllowed``: the methods the resource supports (also sent as `Allow`).
    var allowedMethods: [String]?

    init(_ kind: Kind, _ detail: String, problems: [ConfigProblem]? = nil, runningRun: String? = nil, allowedMethods: [String]? = nil) {
        self.kind = kind
        self.detail = detail
        self.problems = problems
        self.runningRun = runningRun
        self.allowedMethods = allowedMethods
    }

    enum CodingKeys: String, CodingKey {
        case type, title, status, detail, instance, problems, actionProblems, runningRun, allowedMethods
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.typeURI, forKey: .type)
        try container.encode(kind.title, forKey: .title)
        try container.encode(Int(kind.status.code), forKey: .status)
        try container.encode(detail, forKey: .detail)
        try container.encodeIfPresent(instance, forKey: .instance)
        try container.encodeIfPresent(problems, forKey: .problems)
        try container.encodeIfPresent(actionProblems, forKey: .actionProblems)
        try container.encodeIfPresent(runningRun, forKey: .runningRun)
        try container.encodeIfPresent(allowedMethods, forKey: .allowedMethods)
    }
}
