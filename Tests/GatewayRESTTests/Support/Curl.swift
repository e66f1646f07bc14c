import Foundation

/// A real HTTP client for the live tests: curl, run as a child process without blocking a thread
/// (its output goes to files; the exit is awaited through the termination handler).
enum Curl {
    struct Response: Sendable {
        let status: Int
        /// Header names lowercased.
        let headers: [String: String]
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw Failure(description: "not a JSON object: \(text)")
            }
            return object
        }
    }

    /// One Server-Sent Event.
    struct Event: Sendable, Equatable {
        let id: Int?
        let type: String
        let data: String

        func json() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] else {
                throw Failure(description: "event data is not a JSON object: \(data)")
            }
            return object
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let executable: String = {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/curl"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return "/usr/bin/curl"
    }()

    /// Sends one request.
    static func request(
        _ method: String, _ url: String, token: String? = RESTTestSupport.token, contentType: String? = nil,
        body: String? = nil, headers: [String: String] = [:], maxTime: Int = 60
    ) async throws -> Response {
        let directory = try RESTTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let headerFile = directory.appendingPathComponent("headers")
        let bodyFile = directory.appendingPathComponent("body")
        var arguments = ["-s", "-S", "-X", method, "-D", headerFile.path, "-o", bodyFile.path, "--max-time", String(maxTime)]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        if let contentType { arguments += ["-H", "Content-Type: \(contentType)"] }
        for (name, value) in headers { arguments += ["-H", "\(name): \(value)"] }
        if let body {
            let requestFile = directory.appendingPathComponent("request")
            try Data(body.utf8).write(to: requestFile)
            arguments += ["--data-binary", "@\(requestFile.path)"]
        }
        arguments.append(url)
        let status = try await run(arguments)
        guard status == 0 else { throw Failure(description: "curl \(method) \(url) failed with exit status \(status)") }
        let headerText = (try? String(contentsOf: headerFile, encoding: .utf8)) ?? ""
        // The last header block (after any 100 Continue).
        let block = headerText.components(separatedBy: "\r\n\r\n").last { !$0.isEmpty } ?? ""
        var lines = block.components(separatedBy: "\r\n")
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let code = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
        var fields: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Response(status: code, headers: fields, body: (try? Data(contentsOf: bodyFile)) ?? Data())
    }

    /// A Server-Sent Events stream being received into a file until the server ends it.
    final class EventStream: Sendable {
        let file: URL
        private let directory: URL
        private let task: Task<Int32, any Error>

        init(url: String, token: String = RESTTestSupport.token, lastEventID: Int? = nil, maxTime: Int = 180) throws {
            directory = try RESTTestSupport.temporaryDirectory()
            file = directory.appendingPathComponent("events")
            var arguments = ["-s", "-N", "--max-time", String(maxTime), "-H", "Authorization: Bearer \(token)", "-o", file.path]
            if let lastEventID { arguments += ["-H", "Last-Event-ID: \(lastEventID)"] }
            arguments.append(url)
            task = Task { [arguments] in try await Curl.run(arguments) }
        }

        /// The events received so far.
        var events: [Event] { Curl.parse((try? String(contentsOf: file, encoding: .utf8)) ?? "") }

        /// Waits until the server ends the stream; the events received.
        func finished() async throws -> [Event] {
            try await finishedWithText().events
        }

        /// Waits until the server ends the stream; the events and the raw text received.
        func finishedWithText() async throws -> (events: [Event], text: String) {
            let status = try await task.value
            defer { try? FileManager.default.removeItem(at: directory) }
            guard status == 0 else { throw Failure(description: "curl ended with exit status \(status) (28 is a timeout)") }
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            return (Curl.parse(text), text)
        }

        /// Waits until an event satisfies `predicate` (or `timeout` passes).
        func waitFor(timeout: Duration = .seconds(90), _ predicate: (Event) -> Bool) async -> Bool {
            let end = ContinuousClock.now + timeout
            while ContinuousClock.now < end {
                if events.contains(where: predicate) { return true }
                try? await Task.sleep(for: .milliseconds(100))
            }
            return false
        }
    }

    /// Parses SSE text into events (comments and `retry` skipped).
    static func parse(_ text: String) -> [Event] {
        text.components(separatedBy: "\n\n").compactMap { block in
            var id: Int?
            var type = "message"
            var data: [String] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: true) {
                if line.hasPrefix("id: ") {
                    id = Int(line.dropFirst(4))
                } else if line.hasPrefix("event: ") {
                    type = String(line.dropFirst(7))
                } else if line.hasPrefix("data: ") {
                    data.append(String(line.dropFirst(6)))
                }
            }
            return data.isEmpty ? nil : Event(id: id, type: type, data: data.joined(separator: "\n"))
        }
    }

    /// Runs curl and returns its exit status.
    static func run(_ arguments: [String]) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in continuation.resume(returning: process.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}
