import Foundation
import Testing

@testable import GatewayREST

/// HTTPS: certificates made by the system's openssl in a temporary directory, the real gw-rest
/// process on 127.0.0.1, and real TLS clients (curl, `openssl s_client`).
@Suite("gw-rest TLS", .serialized)
struct TLSTests {
    typealias Support = RESTTestSupport

    static var environment: [String: String] {
        ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "GW_REST_TOKEN": Support.token]
    }

    /// Starts gw-rest on 127.0.0.1 serving `identity`.
    static func start(_ identity: TLSTooling.Identity, in directory: URL, log: String = "server.log", extra: [String] = []) async throws -> RESTProcess {
        var environment = environment
        environment["HOME"] = directory.path
        return try await RESTProcess.start(
            ["--workspace-root", directory.appendingPathComponent("root").path, "--tls-certificate", identity.certificate.path, "--tls-key", identity.key.path] + extra,
            environment: environment, logFile: directory.appendingPathComponent(log))
    }

    /// Runs gw-rest to its exit (it must not start serving): exit status and output.
    static func runToExit(_ arguments: [String], in directory: URL) async throws -> TLSTooling.Output {
        var environment = environment
        environment["HOME"] = directory.path
        return try await TLSTooling.run(
            RESTProcess.binary.path, arguments + ["--workspace-root", directory.appendingPathComponent("root").path, "--log-format", "json"],
            environment: environment, deadline: .seconds(30))
    }

    /// An expired self-signed certificate and its key, made with Python's `cryptography` (openssl
    /// 3.0's command line cannot back-date a certificate).
    static func expiredCertificate(in directory: URL) async throws -> TLSTooling.Identity {
        let python = try #require(ProcessInfo.processInfo.environment["GW_TEST_VENV"].map { "\($0)/bin/python" }, "set GW_TEST_VENV to the venv with cryptography")
        let certificate = directory.appendingPathComponent("expired.crt")
        let key = directory.appendingPathComponent("expired.key")
        let script = """
            import datetime, sys
            from cryptography import x509
            from cryptography.x509.oid import NameOID
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import ec
            key = ec.generate_private_key(ec.SECP256R1())
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(datetime.datetime(2020, 1, 1)).not_valid_after(datetime.datetime(2020, 1, 2))
                .sign(key, hashes.SHA256()))
            open(sys.argv[1], "wb").write(cert.public_bytes(serialization.Encoding.PEM))
            open(sys.argv[2], "wb").write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
            """
        let output = try await TLSTooling.run(python, ["-c", script, certificate.path, key.path])
        #expect(output.status == 0, "\(output.text)")
        return TLSTooling.Identity(certificate: certificate, key: key, trustAnchor: certificate)
    }

    @Test("Certificate and key are checked before serving; each refusal names the option and the fix, never the key")
    func identityRefusals() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await TLSTooling.selfSigned(in: directory, name: "first")
        let second = try await TLSTooling.selfSigned(in: directory, name: "second")
        let encryptedKey = directory.appendingPathComponent("encrypted.key")
        try await TLSTooling.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-aes256", "-pass", "pass:secret", "-out", encryptedKey.path])
        let expired = try await Self.expiredCertificate(in: directory)
        let missing = directory.appendingPathComponent("missing.pem").path
        let cases: [(certificate: String, key: String, expected: [String])] = [
            (missing, first.key.path, ["--tls-certificate \(missing)", "does not exist", "give a readable PEM certificate"]),
            (first.certificate.path, missing, ["--tls-key \(missing)", "does not exist", "give a readable PEM private key"]),
            (directory.path, first.key.path, ["--tls-certificate", "is a directory"]),
            (first.key.path, first.key.path, ["--tls-certificate", "no PEM certificate found", "BEGIN CERTIFICATE"]),
            (first.certificate.path, first.certificate.path, ["--tls-key", "no PEM private key found"]),
            (first.certificate.path, second.key.path, ["--tls-key \(second.key.path)", "does not belong", "--tls-certificate \(first.certificate.path)"]),
            (first.certificate.path, encryptedKey.path, ["--tls-key", "encrypted", "give it unencrypted"]),
            (expired.certificate.path, expired.key.path, ["--tls-certificate", "expired on 2020-01-02", "give a current certificate"]),
        ]
        let secrets = try [first.key, second.key, encryptedKey, expired.key].flatMap(TLSTooling.keyMaterial)
        for (certificate, key, expected) in cases {
            #expect(throws: TLSIdentity.LoadError.self, "\(certificate) \(key)") { try TLSIdentity.load(certificatePath: certificate, keyPath: key) }
            do {
                _ = try TLSIdentity.load(certificatePath: certificate, keyPath: key)
            } catch {
                for text in expected { #expect(error.description.contains(text), "\(error.description)") }
                for line in secrets { #expect(!error.description.contains(line)) }
            }
        }
        // A matching pair loads, and its fingerprint is openssl's.
        let identity = try TLSIdentity.load(certificatePath: first.certificate.path, keyPath: first.key.path)
        #expect(identity.fingerprint == (try await TLSTooling.fingerprint(ofCertificateFile: first.certificate)))
    }

    @Test("HTTPS: verified with the CA, refused without it; TLS 1.2 and 1.3 only; the log holds no key material")
    func servesHTTPS() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let identity = try await TLSTooling.selfSigned(in: directory, name: "server")
        let server = try await Self.start(identity, in: directory)
        do {
            let https = "https://127.0.0.1:\(server.port)"
            let trusted = try await TLSTooling.curl("\(https)/v1/deployments", trusting: identity.trustAnchor)
            #expect(trusted.exit == 0, "\(trusted.stderr)")
            #expect(trusted.status == 200)
            // The bearer token is still required over TLS.
            #expect(try await TLSTooling.curl("\(https)/v1/deployments", trusting: identity.trustAnchor, token: nil).status == 401)
            // Without the CA, curl fails certificate verification (exit 60) and no request is sent.
            let untrusted = try await TLSTooling.curl("\(https)/healthz", trusting: nil)
            #expect(untrusted.exit == 60, "\(untrusted.stderr)")
            #expect(untrusted.status == 0)
            // Plain HTTP on the TLS port gets no HTTP response.
            let plain = try await TLSTooling.curl("http://127.0.0.1:\(server.port)/healthz", trusting: nil)
            #expect(plain.status == 0, "plain HTTP was answered on the TLS port")

            #expect(try await TLSTooling.servedFingerprint(port: server.port) == (try await TLSTooling.fingerprint(ofCertificateFile: identity.certificate)))
            for version in ["-tls1_2", "-tls1_3"] {
                let handshake = try await TLSTooling.run(
                    "openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)", "-servername", "localhost", "-CAfile", identity.trustAnchor.path, version, "-verify_return_error"])
                #expect(handshake.status == 0, "\(version): \(handshake.text)")
                #expect(handshake.stdout.contains("Verify return code: 0 (ok)"), "\(version): \(handshake.stdout)")
            }
            // TLS 1.1 and 1.0: the client offers them (security level 0 lets openssl do so), and the
            // server answers with a protocol_version alert.
            for version in ["-tls1_1", "-tls1"] {
                let handshake = try await TLSTooling.run(
                    "openssl", ["s_client", "-connect", "127.0.0.1:\(server.port)", "-servername", "localhost", version, "-cipher", "DEFAULT@SECLEVEL=0"])
                #expect(handshake.status != 0, "\(version) was accepted: \(handshake.text)")
                #expect(handshake.text.contains("alert protocol version"), "\(version): \(handshake.text)")
            }
            let log = server.log
            #expect(log.contains(#""scheme":"https""#), "\(log)")
            for line in try TLSTooling.keyMaterial(identity.key) { #expect(!log.contains(line), "the log holds key material") }
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        #expect(await server.waitForExit(timeout: .seconds(1)) == 0)
    }

    @Test("SIGHUP: new connections get the replaced certificate (a chain), an open connection goes on; a failed reload keeps the current one")
    func reloadOnHangup() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await TLSTooling.selfSigned(in: directory, name: "first")
        let second = try await TLSTooling.chain(in: directory, name: "second")
        // The server reads these two paths; the test replaces their contents.
        let served = TLSTooling.Identity(
            certificate: directory.appendingPathComponent("served.crt"), key: directory.appendingPathComponent("served.key"), trustAnchor: first.trustAnchor)
        try FileManager.default.copyItem(at: first.certificate, to: served.certificate)
        try FileManager.default.copyItem(at: first.key, to: served.key)
        let firstPrint = try await TLSTooling.fingerprint(ofCertificateFile: first.certificate)
        let secondPrint = try await TLSTooling.fingerprint(ofCertificateFile: second.certificate)
        #expect(firstPrint != secondPrint)

        let server = try await Self.start(served, in: directory)
        do {
            let https = "https://127.0.0.1:\(server.port)"
            #expect(try await TLSTooling.servedFingerprint(port: server.port) == firstPrint)
            // A connection open across the reload: one request before, one after, on the same socket.
            let held = try await HeldConnection.open(port: server.port, trusting: first.trustAnchor, in: directory)

            try TLSTooling.replace(served.key, with: second.key)
            try TLSTooling.replace(served.certificate, with: second.certificate)
            server.signal(SIGHUP)
            #expect(try await TLSTooling.waitForServedFingerprint(secondPrint, port: server.port) == secondPrint)
            // The chain file's intermediate is served: a client trusting only the root verifies it.
            let viaRoot = try await TLSTooling.curl("\(https)/v1/deployments", trusting: second.trustAnchor)
            #expect(viaRoot.exit == 0, "\(viaRoot.stderr)")
            #expect(viaRoot.status == 200)
            #expect(try await TLSTooling.curl("\(https)/healthz", trusting: first.trustAnchor).exit == 60)
            #expect(server.log.contains("tls certificate reloaded"))
            let after = try await held.finish()
            #expect(after.status == 200, "the connection open across the reload: \(after.text)")
            #expect(after.fingerprint == firstPrint, "an open connection keeps its certificate")

            // A key that does not match: the reload fails, is logged, and the second certificate stays.
            try TLSTooling.replace(served.key, with: first.key)
            server.signal(SIGHUP)
            let end = ContinuousClock.now + .seconds(30)
            while !server.log.contains("tls reload failed"), ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(100)) }
            let log = server.log
            #expect(log.contains("tls reload failed"), "\(log)")
            #expect(log.contains("does not belong"), "\(log)")
            #expect(try await TLSTooling.servedFingerprint(port: server.port) == secondPrint)
            #expect(try await TLSTooling.curl("\(https)/v1/deployments", trusting: second.trustAnchor).status == 200)
            for line in try [first.key, second.key].flatMap(TLSTooling.keyMaterial) { #expect(!log.contains(line), "the log holds key material") }
            #expect(server.process.isRunning)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
        #expect(await server.waitForExit(timeout: .seconds(1)) == 0)
    }

    @Test("At start: unusable TLS files and plain HTTP beyond loopback are refused (exit 2); the explicit flag allows plain HTTP with a warning")
    func startRefusals() async throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await TLSTooling.selfSigned(in: directory, name: "first")
        let second = try await TLSTooling.selfSigned(in: directory, name: "second")
        let refusals: [([String], [String])] = [
            (["--listen", "127.0.0.1:0", "--tls-certificate", first.certificate.path], ["--tls-certificate needs --tls-key"]),
            (["--listen", "127.0.0.1:0", "--tls-key", first.key.path], ["--tls-key needs --tls-certificate"]),
            (["--listen", "127.0.0.1:0", "--tls-certificate", first.certificate.path, "--tls-key", second.key.path], ["--tls-key", "does not belong"]),
            // Refused before binding: nothing listens beyond loopback.
            (["--listen", "0.0.0.0:0"], ["refusing to serve plain HTTP on 0.0.0.0:0", "--tls-certificate FILE and --tls-key FILE", "--insecure-plain-http-beyond-loopback"]),
            (["--listen", "[::]:0"], ["refusing to serve plain HTTP on [::]:0"]),
        ]
        for (arguments, expected) in refusals {
            let output = try await Self.runToExit(arguments, in: directory)
            #expect(output.status == 2, "\(arguments): exit status \(output.status): \(output.text)")
            for text in expected { #expect(output.text.contains(text), "\(arguments): \(output.text)") }
            #expect(!output.text.contains("\"listening\""))
        }
        // 192.0.2.1 (TEST-NET-1) is not an address of this machine: the checks pass, then binding fails,
        // so nothing ever listens beyond loopback. With the flag: the warning, and no refusal.
        let allowed = try await Self.runToExit(["--listen", "192.0.2.1:0", "--insecure-plain-http-beyond-loopback"], in: directory)
        #expect(allowed.text.contains("serving plain HTTP beyond loopback"), "\(allowed.text)")
        #expect(!allowed.text.contains("refusing"), "\(allowed.text)")
        #expect(allowed.status == 1, "exit status \(allowed.status): \(allowed.text)")
        // With TLS: no refusal and no warning.
        let withTLS = try await Self.runToExit(["--listen", "192.0.2.1:0", "--tls-certificate", first.certificate.path, "--tls-key", first.key.path], in: directory)
        #expect(!withTLS.text.contains("refusing"), "\(withTLS.text)")
        #expect(!withTLS.text.contains("plain HTTP"), "\(withTLS.text)")
        #expect(withTLS.status == 1, "exit status \(withTLS.status): \(withTLS.text)")
    }
}
