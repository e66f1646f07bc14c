import Foundation
import Logging

/// Sends signed API calls to one AWS service and turns answers into XML trees or JSON, and errors into
/// `AWSError`s. Retries throttling, transient and 5xx answers and connection failures with jittered backoff.
/// Logs the action, status, attempt and request id only: never headers, parameters or bodies.
public struct AWSClient: Sendable {
    public let service: AWSService
    public let configuration: AWSConfiguration
    public let endpoint: AWSEndpoint
    private let signer: SigV4Signer

    public init(service: AWSService, configuration: AWSConfiguration) throws {
        self.service = service
        self.configuration = configuration
        endpoint = try configuration.environment.endpoint(for: service, region: configuration.region)
        signer = SigV4Signer(service: service.signingName, region: service.signingRegion(for: configuration.region))
    }

    /// Calls a query-protocol action; returns the `<ActionResult>` element (the root element for EC2).
    public func query(_ action: String, _ parameters: QueryParameters = QueryParameters()) async throws -> XMLTree {
        let version: String
        switch service.wireProtocol {
        case .query(let value), .ec2(let value): version = value
        case .json, .restXML: preconditionFailure("\(service.signingName) does not speak the query protocol")
        }
        var all = QueryParameters()
        all.add("Action", action)
        all.add("Version", version)
        all.append(parameters)
        let body = Array(AWSPercentEncoding.formBody(all.pairs).utf8)
        let response = try await send(
            action: action, method: "POST", path: "/", query: [],
            contentType: "application/x-www-form-urlencoded; charset=utf-8", target: nil, body: body)
        guard let tree = XMLTree.parse(response.body) else {
            throw AWSError(
                service: service.signingName, action: action, code: "MalformedResponse",
                message: "the answer is not XML", httpStatus: response.status, requestID: Self.requestID(response, nil))
        }
        if case .ec2 = service.wireProtocol { return tree }
        return tree.child("\(action)Result") ?? XMLTree(name: "\(action)Result")
    }

    /// Calls a JSON-protocol action with an encodable input and decodes the output.
    public func json<Input: Encodable, Output: Decodable>(
        _ action: String, _ input: Input, as output: Output.Type
    ) async throws -> Output {
        guard case .json(let version, let prefix) = service.wireProtocol else {
            preconditionFailure("\(service.signingName) speaks query, not JSON")
        }
        let body = Array(try JSONEncoder().encode(input))
        let response = try await send(
            action: action, method: "POST", path: "/", query: [], contentType: "application/x-amz-json-\(version)",
            target: "\(prefix).\(action)", body: body)
        do {
            return try JSONDecoder().decode(Output.self, from: Data(response.body.isEmpty ? Array("{}".utf8) : response.body))
        } catch {
            throw AWSError(
                service: service.signingName, action: action, code: "MalformedResponse",
                message: "the answer does not match the expected JSON shape", httpStatus: response.status,
                requestID: Self.requestID(response, nil))
        }
    }

    /// Calls a REST-XML action without a body (`GET /2013-04-01/hostedzonesbyname?dnsname=...`); `path` is
    /// decoded and relative to the API version (`/hostedzonesbyname`). Returns the answer's root element.
    public func rest(
        _ action: String, method: String = "GET", path: String, query: [(name: String, value: String)] = []
    ) async throws -> XMLTree {
        guard case .restXML(let version) = service.wireProtocol else {
            preconditionFailure("\(service.signingName) does not speak REST-XML")
        }
        let response = try await send(
            action: action, method: method, path: "/\(version)\(path)", query: query, contentType: nil, target: nil, body: [])
        guard let tree = XMLTree.parse(response.body) else {
            throw AWSError(
                service: service.signingName, action: action, code: "MalformedResponse",
                message: "the answer is not XML", httpStatus: response.status, requestID: Self.requestID(response, nil))
        }
        return tree
    }

    private func send(
        action: String, method: String, path: String, query: [(name: String, value: String)], contentType: String?,
        target: String?, body: [UInt8]
    ) async throws -> AWSHTTPResponse {
        let retry = configuration.retry
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let credentials = try await configuration.credentials.credentials()
            var request = AWSHTTPRequest(
                method: method, endpoint: endpoint, path: path, query: query, headers: [("Host", endpoint.hostHeader)],
                body: body)
            if let contentType { request.headers.append(("Content-Type", contentType)) }
            if let target { request.headers.append(("X-Amz-Target", target)) }
            signer.sign(&request, credentials: credentials, date: Date())

            let started = ContinuousClock.now
            let failure: any Error
            do {
                let response = try await configuration.http.send(request)
                if (200..<300).contains(response.status) {
                    log(
                        action: action, attempt: attempt, status: response.status, started: started,
                        requestID: Self.requestID(response, nil))
                    return response
                }
                let error = Self.error(from: response, service: service.signingName, action: action)
                log(
                    action: action, attempt: attempt, status: response.status, started: started,
                    requestID: error.requestID, code: error.code)
                guard error.isRetryable, attempt < retry.maxAttempts else { throw error }
                failure = error
            } catch let error as AWSTransportError {
                configuration.logger.debug(
                    "aws call failed without a response",
                    metadata: [
                        "service": "\(service.signingName)", "action": "\(action)", "attempt": "\(attempt)",
                        "kind": "\(error.kind.rawValue)",
                    ])
                if error.kind == .cancelled { throw CancellationError() }
                guard error.isRetryable, attempt < retry.maxAttempts else { throw error }
                failure = error
            }
            let delay = retry.delay(beforeRetry: attempt)
            configuration.logger.debug(
                "aws call retried",
                metadata: [
                    "service": "\(service.signingName)", "action": "\(action)", "attempt": "\(attempt)",
                    "delay_ms": "\(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)",
                    "reason": "\((failure as? AWSError)?.code ?? "transport")",
                ])
            try await Task.sleep(for: delay)
        }
    }

    private func log(
        action: String, attempt: Int, status: Int, started: ContinuousClock.Instant, requestID: String?,
        code: String? = nil
    ) {
        var metadata: Logger.Metadata = [
            "service": "\(service.signingName)", "action": "\(action)", "status": "\(status)", "attempt": "\(attempt)",
            "elapsed": "\(ContinuousClock.now - started)",
        ]
        if let requestID { metadata["request_id"] = "\(requestID)" }
        if let code { metadata["error_code"] = "\(code)" }
        configuration.logger.debug("aws call", metadata: metadata)
    }

    static func requestID(_ response: AWSHTTPResponse, _ tree: XMLTree?) -> String? {
        if let id = response.header("x-amzn-RequestId") ?? response.header("x-amz-request-id") { return id }
        guard let tree else { return nil }
        return tree.firstDescendant(named: "RequestId")?.text ?? tree.firstDescendant(named: "RequestID")?.text
    }

    static func error(from response: AWSHTTPResponse, service: String, action: String) -> AWSError {
        if let tree = XMLTree.parse(response.body), let code = tree.firstDescendant(named: "Code")?.text {
            return AWSError(
                service: service, action: action, code: code,
                message: tree.firstDescendant(named: "Message")?.text ?? "", httpStatus: response.status,
                requestID: requestID(response, tree))
        }
        if let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] {
            let rawType = (object["__type"] as? String) ?? (object["code"] as? String) ?? response.header("x-amzn-ErrorType")
            if let rawType {
                let code =
                    String(rawType.split(separator: "#").last ?? Substring(rawType)).split(separator: ":").first
                    .map(String.init) ?? rawType
                let message = (object["message"] as? String) ?? (object["Message"] as? String) ?? ""
                return AWSError(
                    service: service, action: action, code: code, message: message, httpStatus: response.status,
                    requestID: requestID(response, nil))
            }
        }
        let code: String
        switch response.status {
        case 429: code = "Throttling"
        case 500...599: code = "ServiceUnavailable"
        case 401, 403: code = "AccessDenied"
        default: code = "HTTP\(response.status)"
        }
        return AWSError(
            service: service, action: action, code: code,
            message: "HTTP \(response.status) without an AWS error document", httpStatus: response.status,
            requestID: requestID(response, nil))
    }
}

extension XMLTree {
    /// The first element named `name` in a depth-first walk (the element itself included).
    func firstDescendant(named name: String) -> XMLTree? {
        if self.name == name { return self }
        for child in children {
            if let found = child.firstDescendant(named: name) { return found }
        }
        return nil
    }
}
