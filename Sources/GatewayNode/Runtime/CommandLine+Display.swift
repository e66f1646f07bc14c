/// Shows argument vectors the way a POSIX shell user would type them, for plans and error messages.
/// (Display only: the runtime never hands a command line to a shell.)
public enum CommandDisplay {
    /// `argv` joined with single-quoting where a word needs it.
    public static func line(_ argv: [String]) -> String {
        argv.map(word).joined(separator: " ")
    }

    /// One word, single-quoted when it holds anything but letters, digits and `/._-+=:,@%`.
    public static func word(_ word: String) -> String {
        let safe =
            !word.isEmpty
            && word.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "/._-+=:,@%".unicodeScalars.contains(scalar))
            }
        if safe { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
