import Foundation
import Logging

@testable import GatewayCore

/// A Python test fixture server (moto or the fake IMDS) started on 127.0.0.1 with a free port; it prints
/// its first line ("PORT <n> ...") when it listens. Stopped by PID (SIGTERM, then SIGKILL).
final class FixtureServer: @unchecked Sendable {
    let process = Process()
    let firstLine: [String]
    let port: Int

    /// Starts `script` with the test venv's python (which must have `module`) and waits until it listens.
    static func start(script: String, module: String, arguments: [String] = [], environment: [String: String] = [:])
        async throws -> FixtureServer
    {
        try await AWSTestTools.offPool {
            try FixtureServer(script: script, module: module, arguments: arguments, environment: environment)
        }
    }

    private init(script: String, module: String, arguments: [String], environment: [String: String]) throws {
        let python = try AWSTestTools.pythonBlocking(requiring: module)
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [AWSTestTools.fixture(script)] + arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        let deadline = Date().addingTimeInterval(60)
        while !buffer.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty || Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw AWSTestTools.ToolMissing(message: "\(script) did not start (run scripts/install-test-deps.sh)")
            }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer.prefix(while: { $0 != UInt8(ascii: "\n") }), as: UTF8.self)
        firstLine = line.split(separator: " ").map(String.init)
        guard firstLine.count >= 2, firstLine[0] == "PORT", let port = Int(firstLine[1]) else {
            kill(process.processIdentifier, SIGKILL)
            throw AWSTestTools.ToolMissing(message: "\(script) printed an unexpected first line: \(line)")
        }
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// The value after `name` on the first line (e.g. `KEY`).
    func value(after name: String) -> String? {
        guard let index = firstLine.firstIndex(of: name), index + 1 < firstLine.count else { return nil }
        return firstLine[index + 1]
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    /// POSTs JSON to a fixture control path and returns the decoded answer.
    func control(_ path: String, _ body: [String: Any]) async throws -> Any {
        let endpoint = AWSEndpoint(url: url)!
        let request = AWSHTTPRequest(
            method: "POST", endpoint: endpoint, path: path,
            headers: [("Host", endpoint.hostHeader), ("Content-Type", "application/json")],
            body: Array(try JSONSerialization.data(withJSONObject: body)))
        let response = try await MotoAWS.patientHTTP.send(request)
        let text = String(decoding: response.body.prefix(2000), as: UTF8.self)
        guard response.status == 200, let value = try? JSONSerialization.jsonObject(with: Data(response.body)) else {
            throw AWSTestTools.FixtureFailure(message: "fixture control \(path) answered \(response.status): \(text)")
        }
        return value
    }
}

/// The moto fixture with signature checking on, and an AWS configuration pointing at it.
struct MotoAWS {
    let server: FixtureServer
    let accessKey: String
    let secretKey: String
    let region = "eu-west-1"

    static func start() async throws -> MotoAWS {
        try MotoAWS(server: try await FixtureServer.start(script: "moto_gateway_fixture.py", module: "moto", arguments: ["--auth"]))
    }

    private init(server: FixtureServer) throws {
        self.server = server
        guard let key = server.value(after: "KEY"), let secret = server.value(after: "SECRET") else {
            server.stop()
            throw AWSTestTools.ToolMissing(message: "the moto fixture printed no credentials")
        }
        accessKey = key
        secretKey = secret
    }

    /// moto is a Python server sharing 2 cores with every other test: give it time.
    static let patientHTTP = CurlHTTPClient(timeouts: .init(connect: .seconds(20), total: .seconds(120)))

    /// A configuration whose endpoint comes from `AWS_ENDPOINT_URL`, as a user would set it.
    func configuration(secret: String? = nil, accessKey: String? = nil, logger: Logger? = nil) throws
        -> AWSConfiguration
    {
        let environment = AWSEnvironment(
            variables: ["AWS_ENDPOINT_URL": server.url, "HOME": "/nonexistent-gateway-test-home"])
        let credentials = AWSCredentials(
            accessKeyID: accessKey ?? self.accessKey, secretAccessKey: secret ?? secretKey, source: "test")
        return AWSConfiguration(
            region: region, credentials: StaticCredentialProvider(credentials), environment: environment,
            http: Self.patientHTTP, retry: AWSRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10)),
            logger: logger ?? Logger(label: "gateway.aws.test"))
    }
}
