import Foundation
import GatewayCore

/// Reads a node config (`node.json`).
public enum NodeConfigFile {
    /// Loads and decodes a node config; validation is the planner's.
    /// - Throws: ``NodeInputError`` naming the file and what is wrong with it.
    public static func load(_ path: String) throws(NodeInputError) -> NodeConfig {
        let text: String
        do {
            text = try AtomicFile.readText(path, limit: 1 << 20)
        } catch {
            throw NodeInputError(problems: [ConfigProblem(path: "", message: "cannot read the node config \(path): \(error.reason)", hint: "give the node.json that `gw-cli render` wrote")])
        }
        return try decode(Data(text.utf8), source: path)
    }

    /// Decodes a node config from JSON.
    public static func decode(_ data: Data, source: String = "node config") throws(NodeInputError) -> NodeConfig {
        do {
            return try JSONDecoder().decode(NodeConfig.self, from: data)
        } catch let error as DecodingError {
            let (path, message) = describe(error)
            throw NodeInputError(problems: [ConfigProblem(path: path, message: "\(source): \(message)", hint: "render node.json again with `gw-cli render`")])
        } catch {
            throw NodeInputError(problems: [ConfigProblem(path: "", message: "\(source) is not valid JSON: \(error.localizedDescription)", hint: "render node.json again with `gw-cli render`")])
        }
    }

    private static func describe(_ error: DecodingError) -> (String, String) {
        func path(_ keys: [any CodingKey]) -> String {
            keys.reduce("") { result, key in
                if let index = key.intValue { return result + "[\(index)]" }
                return result.isEmpty ? key.stringValue : result + "." + key.stringValue
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return (path(context.codingPath + [key]), "is missing")
        case .typeMismatch(let type, let context):
            return (path(context.codingPath), "has the wrong type (expected \(type))")
        case .valueNotFound(let type, let context):
            return (path(context.codingPath), "is null (expected \(type))")
        case .dataCorrupted(let context):
            return (path(context.codingPath), context.debugDescription)
        @unknown default:
            return ("", "\(error)")
        }
    }
}
