import Foundation

/// Certificates made by the system's `openssl` in a temporary directory, and real TLS clients
/// (`openssl s_client`, curl) to talk to a TLS server on 127.0.0.1.
enum TLSTooling {
    /// A certificate file (leaf first, then any intermediates), its key, and the CA file a client
    /// must trust to verify it.
    struct Identity {
        let certificate: URL
        let key: URL
        let trustAnchor: URL
    }

    /// The output of a finished tool.
    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
        var text: String { stdout + stderr }
    }

    /// Runs a program to completion (killed by PID after `deadline`); its exit status and output.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, deadline: Duration = .seconds(30)) async throws -> Output {
        let directory = try RESTTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let stdoutFile = directory.appendingPathComponent("stdout")
        let stderrFile = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/\(executable)")
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        let exited = ExitFlag()
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in
                exited.set()
                continuation.resume(returning: process.terminationStatus)
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            let pid = process.processIdentifier
            Task {
                try? await Task.sleep(for: deadline)
                exited.unlessSet { kill(pid, SIGKILL) }
            }
        }
        return Output(
            status: status,
            stdout: (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "")
    }

    /// Whether a child has been seen to exit; the deadline kills its PID only before that.
    final class ExitFlag: @unchecked Sendable {
        private let lock = NSLock()
        private var isSet = false
        func set() { lock.withLock { isSet = true } }
        func unlessSet(_ body: () -> Void) { lock.withLock { if !isSet { body() } } }
    }

    /// Runs `openssl ARGUMENTS` and requires success.
    @discardableResult
    static func openssl(_ arguments: [String]) async throws -> Output {
        let output = try await run("openssl", arguments)
        guard output.status == 0 else { throw Curl.Failure(description: "openssl \(arguments.joined(separator: " ")): \(output.text)") }
        return output
    }

    static let serverExtensions = "subjectAltName=DNS:localhost,IP:127.0.0.1"

    /// A self-signed P-256 certificate for localhost and 127.0.0.1: its own trust anchor.
    static func selfSigned(in directory: URL, name: String) async throws -> Identity {
        let certificate = directory.appendingPathComponent("\(name).crt")
        let key = directory.appendingPathComponent("\(name).key")
        try await openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.path,
            "-out", certificate.path, "-days", "2", "-subj", "/CN=localhost", "-addext", serverExtensions,
        ])
        return Identity(certificate: certificate, key: key, trustAnchor: certificate)
    }

    /// A root CA, an intermediate CA, and a server certificate for localhost and 127.0.0.1 issued
    /// by the intermediate. The certificate file holds the server certificate then the intermediate;
    /// a client trusts the root only.
    static func chain(in directory: URL, name: String) async throws -> Identity {
        func path(_ suffix: String) -> String { directory.appendingPathComponent("\(name)-\(suffix)").path }
        let caExtensions = path("ca.ext")
        try "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n".write(toFile: caExtensions, atomically: true, encoding: .utf8)
        let leafExtensions = path("leaf.ext")
        try "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n\(serverExtensions)\n"
            .write(toFile: leafExtensions, atomically: true, encoding: .utf8)
        try await openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("root.key"),
            "-out", path("root.crt"), "-days", "3", "-subj", "/CN=gw-rest test root \(name)",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        for (subject, issuer, extensions) in [("intermediate", "root", caExtensions), ("leaf", "intermediate", leafExtensions)] {
            try await openssl([
                "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", path("\(subject).key"),
                "-out", path("\(subject).csr"), "-subj", subject == "leaf" ? "/CN=localhost" : "/CN=gw-rest test intermediate \(name)",
            ])
            try await openssl([
                "x509", "-req", "-in", path("\(subject).csr"), "-CA", path("\(issuer).crt"), "-CAkey", path("\(issuer).key"),
                "-CAcreateserial", "-days", "2", "-extfile", extensions, "-out", path("\(subject).crt"),
            ])
        }
        let chainText = try String(contentsOfFile: path("leaf.crt"), encoding: .utf8) + String(contentsOfFile: path("intermediate.crt"), encoding: .utf8)
        try chainText.write(toFile: path("chain.crt"), atomically: true, encoding: .utf8)
        return Identity(
            certificate: URL(fileURLWithPath: path("chain.crt")), key: URL(fileURLWithPath: path("leaf.key")),
            trustAnchor: URL(fileURLWithPath: path("root.crt")))
    }

    /// The SHA-256 fingerprint of the first certificate in a PEM file (`AA:BB:...`).
    static func fingerprint(ofCertificateFile file: URL) async throws -> String {
        let output = try await openssl(["x509", "-in", file.path, "-noout", "-fingerprint", "-sha256"])
        guard let equals = output.stdout.firstIndex(of: "=") else { throw Curl.Failure(description: "no fingerprint in \(output.stdout)") }
        return output.stdout[output.stdout.index(after: equals)...].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Connects with `openssl s_client` and returns the fingerprint of the certificate the server
    /// presents on a new connection.
    static func servedFingerprint(port: Int) async throws -> String {
        let directory = try RESTTestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let handshake = try await run("openssl", ["s_client", "-connect", "127.0.0.1:\(port)", "-servername", "localhost"], deadline: .seconds(20))
        guard handshake.stdout.contains("-----BEGIN CERTIFICATE-----") else {
            throw Curl.Failure(description: "no certificate served: \(handshake.text)")
        }
        let served = directory.appendingPathComponent("served.pem")
        try handshake.stdout.write(to: served, atomically: true, encoding: .utf8)
        return try await fingerprint(ofCertificateFile: served)
    }

    /// Polls new connections until the served certificate has `fingerprint`, or `timeout` passes;
    /// the last fingerprint seen.
    static func waitForServedFingerprint(_ fingerprint: String, port: Int, timeout: Duration = .seconds(30)) async throws -> String {
        let end = ContinuousClock.now + timeout
        var seen = try await servedFingerprint(port: port)
        while seen != fingerprint, ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(100))
            seen = try await servedFingerprint(port: port)
        }
        return seen
    }

    /// `curl` over HTTPS to 127.0.0.1: the exit status (60 is a failed certificate verification)
    /// and the HTTP status (0 when no response).
    static func curl(_ url: String, trusting trustAnchor: URL?, token: String? = RESTTestSupport.token) async throws -> (exit: Int32, status: Int, stderr: String) {
        var arguments = ["-s", "-S", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "20"]
        if let trustAnchor { arguments += ["--cacert", trustAnchor.path] }
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        arguments.append(url)
        let output = try await run(Curl.executable, arguments)
        return (output.status, Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0, output.stderr)
    }

    /// Replaces a file the way deployment tools should: a temporary file in the same directory,
    /// then a rename.
    static func replace(_ destination: URL, with source: URL) throws {
        let temporary = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString)")
        try FileManager.default.copyItem(at: source, to: temporary)
        guard rename(temporary.path, destination.path) == 0 else {
            throw Curl.Failure(description: "rename \(temporary.path) to \(destination.path): errno \(errno)")
        }
    }

    /// The base64 lines of a PEM key: text that must never appear in a log.
    static func keyMaterial(_ key: URL) throws -> [String] {
        try String(contentsOf: key, encoding: .utf8).split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
    }
}
