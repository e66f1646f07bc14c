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
            other addresses without a token. The API is described at /openapi.json.
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

    func validate() throws {
        guard ListenAddress(parsing: listen) != nil else {
            throw ValidationError("--listen \(listen): give HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080")
        }
        guard shutdownDeadline >= 0 else {
            throw ValidationError("--shutdown-deadline \(shutdownDeadline): give a number of seconds, 0 or more")
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
        let app = try await buildApplication(configuration, logger: logger) { port in
            logger.notice("listening", metadata: ["address": .string(ListenAddress(host: configuration.listen.host, port: port).description)])
        }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
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
        do {
            try configuration.check()
        } catch {
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
