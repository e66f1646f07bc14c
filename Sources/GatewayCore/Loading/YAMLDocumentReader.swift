import Foundation
import Yams

/// Turns YAML (and JSON, which YAML reads too) text into a ``ConfigNode`` tree with positions, guarding
/// against hostile documents: alias expansion is bounded by a node budget, so a "billion laughs" document
/// fails fast instead of eating memory.
struct YAMLDocumentReader {
    /// The most nodes a document may expand to (aliases count every time they are used).
    static let nodeBudget = 100_000
    /// The deepest nesting accepted.
    static let maximumDepth = 64

    private var nodesLeft: Int
    private let budget: Int
    private(set) var positions: [String: SourcePosition] = [:]

    init(budget: Int = YAMLDocumentReader.nodeBudget) {
        self.budget = budget
        self.nodesLeft = budget
    }

    /// Parses text into a tree.
    /// - Throws: ``ConfigProblem`` lists via ``ConfigLoadError``.
    mutating func read(_ text: String) throws(ConfigLoadError) -> ConfigNode {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            var problem = Self.problem(from: error)
            if Self.looksLikeLegacyFile(text) {
                problem.hint = "this looks like a legacy config_vars.txt file; convert it with the legacy import"
            }
            throw ConfigLoadError(problems: [problem])
        } catch {
            throw ConfigLoadError(problems: [ConfigProblem(path: "", message: "cannot parse the file: \(error)", hint: "check the YAML/JSON syntax")])
        }
        guard let root else {
            throw ConfigLoadError(problems: [ConfigProblem(path: "", message: "the file is empty", hint: "start from the annotated starter config")])
        }
        return try convert(root, path: "", depth: 0)
    }

    private mutating func convert(_ node: Node, path: String, depth: Int) throws(ConfigLoadError) -> ConfigNode {
        nodesLeft -= 1
        let position = node.mark.map { SourcePosition(line: $0.line, column: $0.column) }
        if nodesLeft < 0 {
            throw ConfigLoadError(problems: [
                ConfigProblem(
                    path: path, position: position,
                    message: "the document expands to more than \(budget) values",
                    hint: "YAML aliases (*name) that repeat anchors multiply a document; write the values out instead"
                )
            ])
        }
        if depth > Self.maximumDepth {
            throw ConfigLoadError(problems: [
                ConfigProblem(path: path, position: position, message: "nesting is deeper than \(Self.maximumDepth) levels", hint: "a gateway config is only a few levels deep")
            ])
        }
        if let position, positions[path] == nil { positions[path] = position }
        switch node {
        case .scalar(let scalar):
            return ConfigNode(Self.scalarValue(scalar), position: position)
        case .mapping(let mapping):
            var entries: [(key: String, node: ConfigNode, keyPosition: SourcePosition?)] = []
            var seen: Set<String> = []
            for (keyNode, valueNode) in mapping {
                let keyPosition = keyNode.mark.map { SourcePosition(line: $0.line, column: $0.column) }
                guard let key = keyNode.scalar?.string else {
                    throw ConfigLoadError(problems: [ConfigProblem(path: path, position: keyPosition, message: "a key is not a plain string", hint: "use simple `key: value` pairs")])
                }
                let childPath = ConfigPath.appending(key, to: path)
                if key == "<<" {
                    throw ConfigLoadError(problems: [ConfigProblem(path: childPath, position: keyPosition, message: "YAML merge keys (<<) are not supported", hint: "write the keys out")])
                }
                guard seen.insert(key).inserted else {
                    throw ConfigLoadError(problems: [ConfigProblem(path: childPath, position: keyPosition, message: "the key \"\(key)\" appears twice", hint: "keep one of them")])
                }
                if let keyPosition { positions[childPath] = keyPosition }
                let child = try convert(valueNode, path: childPath, depth: depth + 1)
                entries.append((key: key, node: child, keyPosition: keyPosition))
            }
            return ConfigNode(.object(entries), position: position)
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for (index, item) in sequence.enumerated() {
                items.append(try convert(item, path: ConfigPath.appending(index: index, to: path), depth: depth + 1))
            }
            return ConfigNode(.array(items), position: position)
        case .alias:
            throw ConfigLoadError(problems: [ConfigProblem(path: path, position: position, message: "unresolved YAML alias", hint: "define the anchor before using it")])
        }
    }

    /// Whether most lines are shell-style `KEY=value` assignments.
    static func looksLikeLegacyFile(_ text: String) -> Bool {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        let assignments = lines.filter { line in
            let body = line.hasPrefix("export ") ? line.dropFirst(7) : Substring(line)
            guard let equals = body.firstIndex(of: "=") else { return false }
            return body[..<equals].allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" } && !body[..<equals].isEmpty
        }
        return !lines.isEmpty && assignments.count * 2 >= lines.count
    }

    private static func scalarValue(_ scalar: Node.Scalar) -> ConfigNode.Value {
        let text = scalar.string
        guard scalar.style == .plain else { return .string(text) }
        let node = Node.scalar(scalar)
        switch Tag.Name(rawValue: node.tag.description) {
        case .null: return .null
        case .bool: if let value = node.bool { return .bool(value) }
        case .int: if let value = node.int { return .integer(value) }
        case .float: if let value = node.float { return .double(value) }
        default: break
        }
        return .string(text)
    }

    private static func problem(from error: YamlError) -> ConfigProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\($0.text): " } ?? ""
            return ConfigProblem(
                path: "", position: SourcePosition(line: mark.line, column: mark.column), message: "syntax error: \(detail)\(problem)", hint: "check indentation, quotes and colons near this line")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigProblem(
                path: "", position: SourcePosition(line: context.mark.line, column: context.mark.column), message: "duplicate keys: \(duplicates.joined(separator: ", "))", hint: "keep one of each")
        default:
            return ConfigProblem(path: "", message: "cannot parse the file: \(error)", hint: "check the YAML/JSON syntax")
        }
    }
}
