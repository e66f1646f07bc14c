import Foundation

/// Writing to the terminal: results to stdout, diagnostics to stderr.
enum Terminal {
    static func out(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Whether stdout is a terminal (human output) rather than a pipe or file.
    static var isInteractive: Bool { isatty(STDOUT_FILENO) == 1 }
}
