import Foundation
import Testing

/// A keep-alive HTTPS connection held open by a Python `ssl` client (a real TLS client): one request
/// when opened, a second on the same socket when told to finish.
struct HeldConnection {
    struct Result {
        let status: Int
        let fingerprint: String
        let text: String
    }

    let go: URL
    let output: URL
    let task: Task<TLSTooling.Output, any Error>

    static let script = """
        import hashlib, os, socket, ssl, sys, time
        port, cafile, go, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
        context = ssl.create_default_context(cafile=cafile)
        connection = context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=30), server_hostname="localhost")
        reader = connection.makefile("rb")
        def get():
            connection.sendall(b"GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\n\\r\\n")
            status = int(reader.readline().split()[1])
            length = 0
            while True:
                line = reader.readline().strip()
                if not line: break
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length": length = int(value)
            reader.read(length)
            return status
        first = get()
        with open(out, "w") as f: f.write("ready %d\\n" % first)
        end = time.monotonic() + 60
        while not os.path.exists(go) and time.monotonic() < end: time.sleep(0.05)
        second = get()
        digest = hashlib.sha256(connection.getpeercert(binary_form=True)).hexdigest().upper()
        print(second, ":".join(digest[i:i + 2] for i in range(0, len(digest), 2)))
        """

    /// Connects, makes the first request, and returns once it has been answered.
    static func open(port: Int, trusting trustAnchor: URL, in directory: URL) async throws -> HeldConnection {
        let python = try #require(ProcessInfo.processInfo.environment["GW_TEST_VENV"].map { "\($0)/bin/python" }, "set GW_TEST_VENV")
        let go = directory.appendingPathComponent("held-go")
        let output = directory.appendingPathComponent("held-ready")
        let task = Task { try await TLSTooling.run(python, ["-c", script, String(port), trustAnchor.path, go.path, output.path], deadline: .seconds(90)) }
        let end = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < end {
            if let text = try? String(contentsOf: output, encoding: .utf8), text.hasPrefix("ready") {
                #expect(text.hasPrefix("ready 200"), "\(text)")
                return HeldConnection(go: go, output: output, task: task)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        let result = try await task.value
        throw Curl.Failure(description: "the held connection did not open: \(result.text)")
    }

    /// Makes the second request on the same connection; its status and the certificate the
    /// connection was established with.
    func finish() async throws -> Result {
        FileManager.default.createFile(atPath: go.path, contents: nil)
        let result = try await task.value
        let words = result.stdout.split(separator: " ")
        return Result(
            status: words.count == 2 ? Int(words[0]) ?? 0 : 0,
            fingerprint: words.count == 2 ? words[1].trimmingCharacters(in: .whitespacesAndNewlines) : "", text: result.text)
    }
}
