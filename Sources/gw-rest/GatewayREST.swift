import ArgumentParser
import Foundation
import GatewayCore
import GatewayProvision
import Logging
import ServiceLifecycle

/// `gw-rest`: the REST front for internal portals.
struct GatewayREST: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gw-rest",
        abstract: "Serve the gateway toolkit's JSON API for internal portals.",
        discussion: """
            Every route except /healthz needs `Authorization: Bearer <token>`, with a token from --token-file \
            (one per line) or GW_REST_TOKEN. The server listens on 127.0.0.1 unless told otherwise and refuses \
            other addresses without a token. Give --tls-certificate and --tls-key to serve HTTPS (TLS 1.2 or \
            later); SIGHUP re-reads both files, for new connections. Plain HTTP on a non-loopback address is \
            refused unless --insecure-plain-http-beyond-loopback is given. The API is described at /openapi.json.
            """,
        version: GatewayVersion.current
    )

    enum LogFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Option(help: "Address to listen on, HOST:PORT or [IPV6]:PORT (port 0 picks a free one).")
    var listen = ListenAddress.default.description

    @Option(help: "Directory holding one workspace per deployment (default: GW_HOME, else ~/.gateway, as for gw-cli).")
    var workspaceRoot: String?

    @Option(help: "File of accepted bearer tokens, one per line (blank lines and # comments ignored).")
    var tokenFile: String?

    @Option(help: "An origin allowed to call the API from a browser, e.g. https://portal.example.com (repeatable).")
    var corsOrigin: [String] = []

    @Option(help: "Log format.")
    var logFormat: LogFormat = .text

    @Option(help: "Largest request body accepted, in bytes.")
    var maxBodyBytes = 1 << 20

    @Option(help: "On SIGTERM, seconds that runs in progress may continue before they are canceled.")
    var shutdownDeadline = 120

    @Option(help: ArgumentHelp("PEM certificate to serve HTTPS with: the server certificate, then any intermediates (needs --tls-key; re-read on SIGHUP).", valueName: "file"))
    var tlsCertificate: String?

    @Option(help: ArgumentHelp("PEM private key of --tls-certificate, unencrypted (re-read on SIGHUP).", valueName: "file"))
    var tlsKey: String?

    @Flag(name: .customLong("insecure-plain-http-beyond-loopback"), help: "Serve plain HTTP on a non-loopback address anyway: bearer tokens then cross the network in clear text.")
    var insecurePlainHTTPBeyondLoopback = false

    func validate() throws {
        guard ListenAddress(parsing: listen) != nil else {
            throw ValidationError("--listen \(listen): give HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080")
        }
        guard shutdownDeadline >= 0 else {
            throw ValidationError("--shutdown-deadline \(shutdownDeadline): give a number of seconds, 0 or more")
        }
        switch (tlsCertificate, tlsKey) {
        case (.some, nil): throw ValidationError("--tls-certificate needs --tls-key: give the PEM private key of the certificate")
        case (nil, .some): throw ValidationError("--tls-key needs --tls-certificate: give the PEM certificate the key belongs to")
        default: break
        }
    }

    func run() async throws {
        let format = logFormat
        LoggingSystem.bootstrap { label in
            switch format {
            case .text: StreamLogHandler.standardError(label: label)
            case .json: JSONLogHandler(label: label)
            }
        }
        let logger = Logger(label: "gw-rest")
        let configuration = try makeConfiguration()
        // Installed before the listener exists, so no SIGHUP can end the server once it listens.
        let hangup = configuration.tls.map { store in
            HangupSignal.handle(on: DispatchQueue(label: "gw-rest.tls-reload")) { Self.reload(store, logger: logger) }
        }
        defer { hangup?.cancel() }
        let scheme = configuration.tls == nil ? "http" : "https"
        let app = try await buildApplication(configuration, logger: logger) { port in
            var metadata: Logger.Metadata = ["address": .string(ListenAddress(host: configuration.listen.host, port: port).description), "scheme": .string(scheme)]
            if let identity = configuration.tls?.identity {
                metadata["certificateSHA256"] = .string(identity.fingerprint)
                metadata["certificateNotAfter"] = .string(identity.notValidAfter.formatted(.iso8601))
            }
            logger.notice("listening", metadata: metadata)
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    /// Re-reads the certificate and key (on SIGHUP); a failure keeps the current ones and logs why.
    private static func reload(_ store: TLSIdentityStore, logger: Logger) {
        do {
            let identity = try store.reload()
            logger.notice(
                "tls certificate reloaded",
                metadata: [
                    "certificateSHA256": .string(identity.fingerprint), "certificateNotAfter": .string(identity.notValidAfter.formatted(.iso8601)),
                ])
        } catch {
            logger.error(
                "tls reload failed; new connections keep the current certificate",
                metadata: [
                    "reason": .string(error.description), "certificateSHA256": .string(store.identity.fingerprint),
                ])
        }
    }

    private func makeConfiguration() throws -> RESTConfiguration {
        let environment = ProcessInfo.processInfo.environment
        var tokens = BearerTokens(digests: [])
        do {
            if let tokenFile {
                let text = try AtomicFile.readText(tokenFile, limit: 1 << 20)
                tokens = tokens.union(try BearerTokens.parse(fileText: text, file: tokenFile))
                if tokens.isEmpty { throw ValidationError("--token-file \(tokenFile): the file holds no token") }
            }
            if let value = environment["GW_REST_TOKEN"], !value.isEmpty {
                tokens = tokens.union(try BearerTokens.parse(environmentValue: value, variable: "GW_REST_TOKEN"))
            }
        } catch let error as AtomicFile.WriteError {
            throw ValidationError("--token-file: \(error.description)")
        } catch let error as BearerTokens.LoadError {
            throw ValidationError(error.description)
        }
        var configuration = RESTConfiguration(
            listen: ListenAddress(parsing: listen) ?? .default,
            workspaceRoot: WorkspaceRoot.resolve(explicit: workspaceRoot, environment: environment).url.path,
            tokens: tokens,
            corsOrigins: corsOrigin,
            maximumBodyBytes: maxBodyBytes,
            shutdownDeadline: .seconds(shutdownDeadline)
        )
        configuration.environment = environment
        configuration.allowsPlainHTTPBeyondLoopback = insecurePlainHTTPBeyondLoopback
        do {
            if let tlsCertificate, let tlsKey {
                configuration.tls = try TLSIdentityStore(certificatePath: tlsCertificate, keyPath: tlsKey)
            }
            try configuration.check()
        } catch let error as TLSIdentity.LoadError {
            throw ValidationError(error.description)
        } catch let error as RESTConfiguration.Refusal {
            throw ValidationError(error.description)
        }
        return configuration
    }
}

@main
enum GatewayRESTMain {
    /// Runs the command; usage errors exit with status 2 (ArgumentParser's default is 64), other
    /// failures with 1.
    static func main() async {
        do {
            var command = try GatewayREST.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if GatewayREST.exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((GatewayREST.fullMessage(for: error) + "\n").utf8))
                exit(2)
            }
            GatewayREST.exit(withError: error)
        }
    }
}
