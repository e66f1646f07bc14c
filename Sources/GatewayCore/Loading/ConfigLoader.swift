import Foundation

/// Loads a ``GatewayConfig`` from a YAML or JSON file or text.
///
/// Missing keys take their defaults; unknown keys (with a "did you mean" hint), wrong types and bad
/// enumeration values are reported together, each with its key path and file position. Hostile input is
/// refused early: files over ``maximumFileSize``, binary content, directories, alias bombs.
public enum ConfigLoader {
    /// The largest config file accepted, in bytes.
    public static let maximumFileSize = 1 << 20

    /// Loads a config file.
    /// - Parameter path: Path of a `.yaml`, `.yml` or `.json` file.
    /// - Returns: The config and where each key was in the file.
    /// - Throws: ``ConfigLoadError`` with every problem found.
    public static func load(file path: String) throws(ConfigLoadError) -> LoadedConfig {
        let data = try readFile(path)
        return try load(data: data, file: path)
    }

    /// Loads a config from bytes (e.g. a request body).
    /// - Parameters:
    ///   - data: YAML or JSON text.
    ///   - file: A name for error messages, if any.
    public static func load(data: Data, file: String? = nil) throws(ConfigLoadError) -> LoadedConfig {
        guard data.count <= maximumFileSize else {
            throw ConfigLoadError(problems: [
                ConfigProblem(
                    path: "", message: "the config is \(data.count) bytes, more than the limit of \(maximumFileSize)", hint: "a gateway config is a few kilobytes; check that this is the right file")
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigLoadError(problems: [ConfigProblem(path: "", message: "the config is not UTF-8 text", hint: "save it as UTF-8 YAML or JSON")])
        }
        return try load(text: text, file: file)
    }

    /// Loads a config from YAML or JSON text.
    public static func load(text: String, file: String? = nil) throws(ConfigLoadError) -> LoadedConfig {
        if let index = text.unicodeScalars.firstIndex(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\r" && $0 != "\t" }) {
            let prefix = text.unicodeScalars[..<index]
            let line = prefix.filter { $0 == "\n" }.count + 1
            throw ConfigLoadError(problems: [
                ConfigProblem(
                    path: "", position: SourcePosition(line: line, column: 1),
                    message: "the config contains binary data (control character U+\(String(format: "%04X", text.unicodeScalars[index].value)))", hint: "give a YAML or JSON text file")
            ])
        }
        var reader = YAMLDocumentReader()
        let tree = try reader.read(text)
        guard case .object = tree.value else {
            var hint = "a config is a mapping of sections (project, network, ...); start from the annotated starter config"
            if case .string(let text) = tree.value, text.contains("=") {
                hint = "this looks like a legacy config_vars.txt file; convert it with the legacy import"
            }
            throw ConfigLoadError(problems: [ConfigProblem(path: "", position: tree.position, message: "the top level must be a mapping, not \(tree.kindDescription)", hint: hint)])
        }
        var merger = ConfigMerger()
        let merged = merger.merge(tree, over: ConfigSchema.shared.defaults)
        let positions = reader.positions
        guard merger.problems.isEmpty else {
            let partial = (try? JSONDecoder().decode(GatewayConfig.self, from: merged.jsonData())).map {
                LoadedConfig(config: $0, file: file, positions: positions)
            }
            throw ConfigLoadError(problems: merger.problems, partial: partial)
        }
        do {
            var config = try JSONDecoder().decode(GatewayConfig.self, from: merged.jsonData())
            if tree["loadBalancer"]?["deletionProtection"] == nil {
                config.loadBalancer.deletionProtection = LoadBalancerSettings.defaultDeletionProtection(environment: config.project.environment)
            }
            if tree["gateway"]?["buckets"] == nil {
                config.gateway.buckets = BucketLayout.default(filespaceCount: config.filespaces.count, dataRoot: config.gateway.dataRoot)
            }
            return LoadedConfig(config: config, file: file, positions: positions)
        } catch let error as DecodingError {
            let loaded = LoadedConfig(config: GatewayConfig(), file: file, positions: positions)
            throw ConfigLoadError(problems: [loaded.locate(Self.problem(from: error))])
        } catch {
            throw ConfigLoadError(problems: [ConfigProblem(path: "", message: "cannot read the config: \(error)", hint: "check the file")])
        }
    }

    private static func problem(from error: DecodingError) -> ConfigProblem {
        switch error {
        case .typeMismatch(let type, let context):
            let expected = type == Int.self ? "a whole number" : "\(type)"
            return ConfigProblem(path: ConfigPath.from(codingPath: context.codingPath), message: "must be \(expected)", hint: "see the config's JSON Schema for the expected shape")
        case .dataCorrupted(let context):
            return ConfigProblem(
                path: ConfigPath.from(codingPath: context.codingPath), message: "has an invalid value: \(context.debugDescription)", hint: "see the config's JSON Schema for the expected shape")
        case .keyNotFound(let key, let context):
            return ConfigProblem(path: ConfigPath.appending(key.stringValue, to: ConfigPath.from(codingPath: context.codingPath)), message: "is missing", hint: "add it")
        case .valueNotFound(_, let context):
            return ConfigProblem(path: ConfigPath.from(codingPath: context.codingPath), message: "has no value", hint: "give a value or remove the key")
        @unknown default:
            return ConfigProblem(path: "", message: "cannot read the config", hint: "check the file")
        }
    }

    private static func readFile(_ path: String) throws(ConfigLoadError) -> Data {
        func fail(_ message: String, _ hint: String) -> ConfigLoadError {
            ConfigLoadError(problems: [ConfigProblem(path: "", message: message, hint: hint)])
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw fail("\(path) does not exist", "check the path, or create an annotated starter config there")
        }
        guard !isDirectory.boolValue else {
            throw fail("\(path) is a directory", "give the path of a YAML or JSON config file")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > maximumFileSize {
            throw fail("\(path) is \(size) bytes, more than the limit of \(maximumFileSize)", "a gateway config is a few kilobytes; check that this is the right file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw fail("\(path) cannot be read", "check its permissions")
        }
        defer { try? handle.close() }
        // Read at most one byte over the limit, so a file that grows (or a FIFO) cannot exhaust memory.
        let data = (try? handle.read(upToCount: maximumFileSize + 1)) ?? Data()
        guard data.count <= maximumFileSize else {
            throw fail("\(path) is larger than the limit of \(maximumFileSize) bytes", "a gateway config is a few kilobytes; check that this is the right file")
        }
        return data
    }
}

/// A loaded config with the positions of its keys in the source file.
public struct LoadedConfig: Sendable {
    /// The config, with defaults filled in.
    public let config: GatewayConfig
    /// The file it came from, if any.
    public let file: String?
    let positions: [String: SourcePosition]

    /// Where a key path was in the file: the key itself, or its closest ancestor that was written.
    public func position(of path: String) -> SourcePosition? {
        var candidate = path
        while true {
            if let position = positions[candidate] { return position }
            guard let cut = candidate.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            candidate = String(candidate[..<cut])
        }
        return positions[""]
    }

    /// Adds file positions to problems that have none.
    public func locate(_ problem: ConfigProblem) -> ConfigProblem {
        guard problem.line == nil, let position = position(of: problem.path) else { return problem }
        var located = problem
        located.line = position.line
        located.column = position.column
        return located
    }

    /// Validates the config and returns every problem, located in the file.
    /// - Parameter environment: When given, `env:` and `file:` secrets are checked for presence too.
    public func validate(environment: [String: String]? = nil) -> [ConfigProblem] {
        ConfigValidator(environment: environment).validate(config).map(locate)
    }
}
