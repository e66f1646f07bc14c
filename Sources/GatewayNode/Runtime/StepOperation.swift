/// One thing a step does, stated exactly: the command it runs, the file it writes with its content,
/// the directory it creates, the credential it encrypts or the condition it waits for.
public enum StepOperation: Sendable, Equatable {
    /// Runs a command (argument vector, program first).
    case run([String])
    /// Writes a whole file with this content and mode.
    case writeFile(path: String, mode: Int, contents: String)
    /// Makes sure a file holds `line` as the only line for `key` (other lines are kept); with `line`
    /// `nil`, removes the lines for `key`.
    case editLine(path: String, key: String, line: String?)
    /// Creates a directory (and its parents) with this mode and owner.
    case makeDirectory(path: String, mode: Int, owner: String?)
    /// Encrypts a secret with `systemd-creds` into a credential file; the secret is named by its
    /// config field and reference, never by its value.
    case encryptCredential(name: String, path: String, field: String, reference: String)
    /// Waits until a condition holds, checking with `probe` when it is a command.
    case waitFor(condition: String, probe: [String]?, timeoutSeconds: Int)
    /// A value computed when the step runs (e.g. a size from free space), with how it is computed.
    case computed(description: String, command: [String])

    /// A one-line human description.
    public var summary: String {
        switch self {
        case .run(let argv): "run: \(CommandDisplay.line(argv))"
        case .writeFile(let path, let mode, _): "write \(path) (mode \(String(mode, radix: 8)))"
        case .editLine(let path, let key, let line):
            if let line { "ensure in \(path) for \(key): \(line)" } else { "remove from \(path) the lines for \(key)" }
        case .makeDirectory(let path, let mode, let owner):
            "directory \(path) (mode \(String(mode, radix: 8))\(owner.map { ", owner \($0)" } ?? ""))"
        case .encryptCredential(let name, let path, let field, let reference):
            "encrypt \(field) (\(reference)) as credential \(name) into \(path)"
        case .waitFor(let condition, let probe, let timeout):
            "wait up to \(timeout)s until \(condition)" + (probe.map { " (check: \(CommandDisplay.line($0)))" } ?? "")
        case .computed(let description, let command):
            "run: \(CommandDisplay.line(command)) — \(description)"
        }
    }
}

extension StepOperation: Encodable {
    private enum CodingKeys: String, CodingKey {
        case kind, argv, path, mode, contents, key, line, owner, name, field, reference, condition, probe, timeoutSeconds, description
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .run(let argv):
            try container.encode("run", forKey: .kind)
            try container.encode(argv, forKey: .argv)
        case .writeFile(let path, let mode, let contents):
            try container.encode("writeFile", forKey: .kind)
            try container.encode(path, forKey: .path)
            try container.encode(String(mode, radix: 8), forKey: .mode)
            try container.encode(contents, forKey: .contents)
        case .editLine(let path, let key, let line):
            try container.encode("editLine", forKey: .kind)
            try container.encode(path, forKey: .path)
            try container.encode(key, forKey: .key)
            try container.encode(line, forKey: .line)
        case .makeDirectory(let path, let mode, let owner):
            try container.encode("makeDirectory", forKey: .kind)
            try container.encode(path, forKey: .path)
            try container.encode(String(mode, radix: 8), forKey: .mode)
            try container.encode(owner, forKey: .owner)
        case .encryptCredential(let name, let path, let field, let reference):
            try container.encode("encryptCredential", forKey: .kind)
            try container.encode(name, forKey: .name)
            try container.encode(path, forKey: .path)
            try container.encode(field, forKey: .field)
            try container.encode(reference, forKey: .reference)
        case .waitFor(let condition, let probe, let timeout):
            try container.encode("waitFor", forKey: .kind)
            try container.encode(condition, forKey: .condition)
            try container.encode(probe, forKey: .probe)
            try container.encode(timeout, forKey: .timeoutSeconds)
        case .computed(let description, let command):
            try container.encode("computed", forKey: .kind)
            try container.encode(description, forKey: .description)
            try container.encode(command, forKey: .argv)
        }
    }
}
