import Foundation

/// Reads the values of secrets from where their references point.
///
/// Environment variables and files are read directly; SSM parameters go through ``parameterStore``,
/// which the AWS client provides. Errors name the config field the secret belongs to.
public struct SecretResolver: Sendable {
    /// Fetches the decrypted value of an SSM SecureString parameter by name.
    public typealias ParameterStore = @Sendable (_ name: String) async throws -> String

    private let environment: [String: String]
    private let parameterStore: ParameterStore?

    /// Creates a resolver.
    /// - Parameters:
    ///   - environment: The environment to read `env:` secrets from; defaults to the process environment.
    ///   - parameterStore: Reads `ssm:` secrets; `nil` makes them an error that says so.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment, parameterStore: ParameterStore? = nil) {
        self.environment = environment
        self.parameterStore = parameterStore
    }

    /// The largest secret file read, in bytes.
    public static let maximumFileSize = 64 * 1024

    /// Resolves a secret without network access (literal, `env:`, `file:`).
    /// - Parameters:
    ///   - secret: The secret.
    ///   - field: Its key path in the config, used in errors (e.g. `filespaces[0].password`).
    /// - Returns: The value.
    /// - Throws: ``SecretError`` when the source is missing, empty or needs SSM.
    public func resolveLocally(_ secret: Secret, field: String) throws -> String {
        switch secret.source {
        case .unset:
            throw SecretError(field: field, problem: "is not set", hint: "give a value as env:NAME, file:PATH or ssm:/PATH")
        case .redacted:
            throw SecretError(field: field, problem: "was redacted when the config was written", hint: "give it again as env:NAME, file:PATH or ssm:/PATH")
        case .literal(let value):
            return value
        case .environment(let name):
            guard let value = environment[name] else {
                throw SecretError(field: field, problem: "refers to the environment variable \(name), which is not set", hint: "export \(name) before running")
            }
            guard !value.isEmpty else {
                throw SecretError(field: field, problem: "refers to the environment variable \(name), which is empty", hint: "set \(name) to the secret's value")
            }
            return value
        case .file(let path):
            return try readFile(path, field: field)
        case .ssmParameter(let name):
            throw SecretError(
                field: field, problem: "is the SSM parameter \(name), which needs AWS access", hint: "resolve it with AWS access (on the instance, or by checking the secrets against SSM)")
        }
    }

    /// Resolves any secret, reading `ssm:` parameters through the parameter store.
    /// - Throws: ``SecretError`` (the parameter store's own errors are wrapped with the field name).
    public func resolve(_ secret: Secret, field: String) async throws -> String {
        guard case .ssmParameter(let name) = secret.source else {
            return try resolveLocally(secret, field: field)
        }
        guard let parameterStore else {
            return try resolveLocally(secret, field: field)
        }
        do {
            let value = try await parameterStore(name)
            guard !value.isEmpty else {
                throw SecretError(field: field, problem: "is the SSM parameter \(name), which is empty", hint: "put a value there (pushing the secrets to SSM does it)")
            }
            return value
        } catch let error as SecretError {
            throw error
        } catch {
            throw SecretError(field: field, problem: "could not be read from SSM parameter \(name): \(error)", hint: "check the parameter exists and the role may read it")
        }
    }

    private func readFile(_ path: String, field: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw SecretError(field: field, problem: "refers to the file \(path), which does not exist", hint: "create it (mode 0600) or change the reference")
        }
        guard !isDirectory.boolValue else {
            throw SecretError(field: field, problem: "refers to \(path), which is a directory", hint: "point file: at a regular file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SecretError(field: field, problem: "refers to the file \(path), which cannot be read", hint: "check its permissions")
        }
        guard data.count <= Self.maximumFileSize else {
            throw SecretError(field: field, problem: "refers to the file \(path), which is larger than \(Self.maximumFileSize) bytes", hint: "a secret file holds only the secret")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw SecretError(field: field, problem: "refers to the file \(path), which is not UTF-8 text", hint: "store the secret as text")
        }
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        guard !text.isEmpty else {
            throw SecretError(field: field, problem: "refers to the file \(path), which is empty", hint: "write the secret into it")
        }
        return text
    }
}

/// A secret could not be resolved. Its description names the config field, never the value.
public struct SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The config key path of the secret.
    public let field: String
    /// What is wrong.
    public let problem: String
    /// How to fix it.
    public let hint: String

    /// Creates a secret error.
    public init(field: String, problem: String, hint: String) {
        self.field = field
        self.problem = problem
        self.hint = hint
    }

    public var description: String { "\(field) \(problem) (\(hint))" }
}
