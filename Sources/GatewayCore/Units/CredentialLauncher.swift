/// The command line of `gw-cli node exec`, the launcher that units use to hand systemd credentials to
/// programs that cannot read them from files: it opens credentials from `$CREDENTIALS_DIRECTORY`,
/// puts them on standard input or into environment variables, then replaces itself with the program
/// (same PID, so systemd supervises the program directly). No shell is involved.
public enum CredentialLauncher {
    /// Option that puts a credential's content on the program's standard input.
    public static let stdinOption = "--stdin-credential"
    /// Option `VAR=CREDENTIAL` that puts a credential's content into an environment variable.
    public static let environmentOption = "--env-credential"

    /// The launcher's argument vector for a program.
    /// - Parameters:
    ///   - stdinCredential: Credential to connect to standard input, if any.
    ///   - environment: `(variable, credential)` pairs.
    ///   - program: The program's argument vector (program path first).
    public static func argv(stdinCredential: String? = nil, environment: [(variable: String, credential: String)] = [], program: [String]) -> [String] {
        var argv = [NodePaths.gatewayCLI, "node", "exec"]
        if let stdinCredential { argv += [stdinOption, stdinCredential] }
        for pair in environment { argv += [environmentOption, "\(pair.variable)=\(pair.credential)"] }
        return argv + ["--"] + program
    }
}
