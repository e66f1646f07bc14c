import ArgumentParser
import GatewayCore

/// `gw-cli init`: writes an annotated starter config.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write an annotated starter config (secrets as env: references)."
    )

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
    var out: String?

    @Flag(help: "Replace the file if it exists.")
    var force = false

    func run() throws {
        guard let out else {
            Terminal.out(ConfigTemplate.starter)
            return
        }
        do {
            try AtomicFile.write(ConfigTemplate.starter, to: out, permissions: 0o644, overwrite: force)
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode.failure
        }
        Terminal.error("wrote \(out); edit it, then run `gw-cli validate \(out)`")
    }
}
