import ArgumentParser
import GatewayCore

/// `gw-cli import-legacy FILE`: converts the reference system's `config_vars.txt` without executing it.
struct ImportLegacyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-legacy",
        abstract: "Convert a legacy config_vars.txt (KEY=\"value\" lines) to a YAML config. The file is read, never executed."
    )

    @Argument(help: "The legacy config_vars.txt file.")
    var file: String

    @Option(name: .shortAndLong, help: "Write the YAML to this file (mode 0600) instead of stdout.")
    var out: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    func run() throws {
        do {
            let text = try AtomicFile.readText(file, limit: ConfigLoader.maximumFileSize)
            let result = LegacyConfigImporter.importText(text)
            let yaml = "# imported from \(file) by gw-cli import-legacy\n" + (try ConfigYAMLWriter.yaml(for: result.config, revealingSecretLiterals: true))
            for notice in result.notices {
                Terminal.error("note: \(notice)")
            }
            if let out {
                // The output may hold the legacy file's literal secrets: owner-only, like the input should be.
                try AtomicFile.write(yaml, to: out, permissions: 0o600, overwrite: force)
                Terminal.error("wrote \(out); check it with `gw-cli validate \(out)`")
            } else {
                Terminal.out(yaml)
            }
        } catch {
            Terminal.error("error: \(error)")
            throw ExitCode.failure
        }
    }
}
