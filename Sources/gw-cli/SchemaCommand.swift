import ArgumentParser
import GatewayCore

/// `gw-cli schema`: prints the JSON Schema of the config format.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (2020-12) of the config file format."
    )

    func run() {
        Terminal.out(ConfigJSONSchema.document())
    }
}
