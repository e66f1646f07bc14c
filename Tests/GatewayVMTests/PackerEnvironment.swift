import Foundation

/// The environment Packer gives the rendered template's shell provisioner: its `environment_vars`, with
/// `${var.NAME}` and `${join(" ", var.NAME)}` taken from the rendered var file, the variables' defaults
/// and the `-var` overrides. Anything else in those strings is an error, so that a template change this
/// reading does not understand fails the test instead of passing a wrong value.
enum PackerEnvironment {
    static func provisionerEnvironment(template: String, values: String, overrides: [String: String]) throws -> [(name: String, value: String)] {
        var variables = defaults(template)
        for line in values.split(separator: "\n") where !line.hasPrefix("#") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            variables[name] = try value(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        }
        for (name, value) in overrides {
            guard variables[name] != nil else { throw VMSetupError(description: "the template declares no variable \(name)") }
            variables[name] = [value]
        }
        guard let start = template.range(of: "environment_vars = [")?.upperBound,
            let end = template[start...].range(of: "]")?.lowerBound
        else {
            throw VMSetupError(description: "the template has no environment_vars")
        }
        var environment: [(name: String, value: String)] = []
        for line in template[start..<end].split(separator: "\n") {
            let item = line.trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
            guard item.hasPrefix("\""), item.hasSuffix("\""), let equals = item.firstIndex(of: "=") else { continue }
            let name = String(item[item.index(after: item.startIndex)..<equals])
            var text = String(item[item.index(after: equals)..<item.index(before: item.endIndex)])
            while let open = text.range(of: "${") {
                guard let close = text[open.upperBound...].firstIndex(of: "}") else { throw VMSetupError(description: "unclosed interpolation in \(item)") }
                let expression = String(text[open.upperBound..<close])
                let replacement: String
                if expression.hasPrefix("var."), let list = variables[String(expression.dropFirst(4))], list.count == 1 {
                    replacement = list[0]
                } else if expression.hasPrefix("join(\" \", var."), expression.hasSuffix(")"), let list = variables[String(expression.dropFirst("join(\" \", var.".count).dropLast())] {
                    replacement = list.joined(separator: " ")
                } else {
                    throw VMSetupError(description: "cannot evaluate ${\(expression)} in \(item)")
                }
                text.replaceSubrange(open.lowerBound...close, with: replacement)
            }
            environment.append((name, text))
        }
        return environment
    }

    /// `variable "NAME" { ... default = VALUE }` of the template.
    private static func defaults(_ template: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        var current: String?
        for line in template.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("variable \""), let name = trimmed.split(separator: "\"").dropFirst().first {
                current = String(name)
                result[String(name)] = result[String(name)] ?? []
            } else if let name = current, trimmed.hasPrefix("default"), let equals = trimmed.firstIndex(of: "=") {
                result[name] = (try? value(trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces))) ?? []
            } else if trimmed == "}" {
                current = nil
            }
        }
        return result
    }

    /// A var-file value: a string, a number or a list of them.
    private static func value(_ text: String) throws -> [String] {
        let data = Data((text.hasPrefix("[") ? text : "[\(text)]").utf8)
        guard let items = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [Any] else {
            throw VMSetupError(description: "cannot read the value \(text)")
        }
        return items.map { "\($0)" }
    }
}
