import Foundation
import GatewayCore

/// `gw-cli node exec`: hands systemd credentials (from `$CREDENTIALS_DIRECTORY`) to a program that
/// cannot read them from files — on its standard input or in environment variables — then replaces
/// this process with the program (`execv`, same PID, so systemd supervises the program itself).
public enum CredentialExec {
    /// What to launch.
    public struct Request: Sendable, Equatable {
        /// Credential to put on standard input.
        public var stdinCredential: String?
        /// `(variable, credential)` pairs to put into the environment.
        public var environment: [EnvironmentCredential]
        /// The program's argument vector, program path first.
        public var program: [String]

        /// Creates a request.
        public init(stdinCredential: String?, environment: [EnvironmentCredential], program: [String]) {
            self.stdinCredential = stdinCredential
            self.environment = environment
            self.program = program
        }
    }

    /// An environment variable filled from a credential.
    public struct EnvironmentCredential: Sendable, Equatable {
        /// The variable name.
        public var variable: String
        /// The credential name.
        public var credential: String

        /// Parses `VARIABLE=CREDENTIAL`.
        public init(argument: String) throws(LaunchError) {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex, argument.index(after: equals) != argument.endIndex else {
                throw LaunchError("\(CredentialLauncher.environmentOption) takes VARIABLE=CREDENTIAL, not \"\(argument)\"")
            }
            variable = String(argument[..<equals])
            credential = String(argument[argument.index(after: equals)...])
        }
    }

    /// The launch failed; the message names the credential or program.
    public struct LaunchError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What went wrong.
        public var message: String
        init(_ message: String) { self.message = message }
        public var description: String { message }
    }

    /// Sets up the credentials and replaces this process with the program. Returns only by throwing.
    /// - Parameter credentialsDirectory: systemd's `$CREDENTIALS_DIRECTORY`.
    public static func exec(_ request: Request, credentialsDirectory: String?) throws(LaunchError) -> Never {
        guard let program = request.program.first, program.hasPrefix("/") else {
            throw LaunchError("give the program as an absolute path after --")
        }
        let names = request.environment.map(\.credential) + (request.stdinCredential.map { [$0] } ?? [])
        if !names.isEmpty, credentialsDirectory?.isEmpty ?? true {
            throw LaunchError("$CREDENTIALS_DIRECTORY is not set: run this from a systemd unit with LoadCredentialEncrypted=")
        }
        for name in names where name.isEmpty || name.contains("/") || name.hasPrefix(".") {
            throw LaunchError("\"\(name)\" is not a credential name")
        }
        let directory = credentialsDirectory ?? ""
        for pair in request.environment {
            let path = "\(directory)/\(pair.credential)"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LaunchError("the credential \(pair.credential) is missing (\(path)); check LoadCredentialEncrypted= in the unit")
            }
            guard data.count <= 64 * 1024, !data.contains(0) else {
                throw LaunchError("the credential \(pair.credential) is not a short text value")
            }
            setenv(pair.variable, String(decoding: data, as: UTF8.self), 1)
        }
        if let name = request.stdinCredential {
            let path = "\(directory)/\(name)"
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                throw LaunchError("the credential \(name) cannot be opened (\(path)): \(String(cString: strerror(errno)))")
            }
            guard dup2(descriptor, STDIN_FILENO) >= 0 else {
                throw LaunchError("cannot connect \(name) to standard input: \(String(cString: strerror(errno)))")
            }
            close(descriptor)
        }
        // The credentials directory is not needed by the program; keep it out of its environment.
        unsetenv("CREDENTIALS_DIRECTORY")
        var arguments: [UnsafeMutablePointer<CChar>?] = request.program.map { strdup($0) }
        arguments.append(nil)
        execv(program, arguments)
        throw LaunchError("cannot run \(program): \(String(cString: strerror(errno)))")
    }
}
