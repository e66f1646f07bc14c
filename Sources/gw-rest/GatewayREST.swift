import ArgumentParser
import GatewayCore

/// `gw-rest`: the REST front for internal portals.
@main
struct GatewayREST: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gw-rest",
        abstract: "Serve the gateway toolkit's JSON API for internal portals.",
        version: GatewayVersion.current
    )

    func run() async throws {
        throw CleanExit.helpRequest(self)
    }
}
