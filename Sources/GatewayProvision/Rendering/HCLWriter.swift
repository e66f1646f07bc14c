/// Writes HCL syntax trees as text in the canonical layout of `terraform fmt` (and `packer fmt`):
/// two-space indentation, `=` aligned within each run of one-line attributes, one blank line around
/// nested blocks, bare references and type names, directives without inner spaces.
///
/// The output is a pure function of the tree: the same tree always gives the same bytes.
public struct HCLWriter: Sendable {
    /// Inline lists and calls longer than this are written one item per line.
    public var maximumInlineWidth: Int

    /// Creates a writer.
    public init(maximumInlineWidth: Int = 80) {
        self.maximumInlineWidth = maximumInlineWidth
    }

    /// The text of a file whose top level is `body`, ending with a newline.
    public func write(_ body: HCLBody) -> String {
        var lines: [Line] = []
        appendBody(body, indent: 0, to: &lines)
        return Self.layout(lines)
    }

    /// The text of a file holding `blocks` separated by blank lines.
    public func write(_ blocks: [HCLBlock]) -> String {
        write(HCLBody(blocks.map { .block($0) }))
    }

    /// An expression on one line, or `nil` when it needs several lines (multi-line objects, heredocs,
    /// long lists).
    public func inline(_ expression: HCLExpression) -> String? {
        switch expression {
        case .string(let text):
            return "\"" + HCLEscaping.quoted(text) + "\""
        case .template(let parts):
            return inlineTemplate(parts)
        case .number(let value):
            return String(value)
        case .decimal(let value):
            return Self.format(value)
        case .bool(let value):
            return value ? "true" : "false"
        case .null:
            return "null"
        case .reference(let traversal):
            return traversal
        case .call(let name, let arguments):
            var parts: [String] = []
            for argument in arguments {
                guard let text = inline(argument) else { return nil }
                parts.append(text)
            }
            let text = name + "(" + parts.joined(separator: ", ") + ")"
            return arguments.count > 1 && text.count > maximumInlineWidth ? nil : text
        case .list(let items):
            var parts: [String] = []
            for item in items {
                guard let text = inline(item) else { return nil }
                parts.append(text)
            }
            let text = "[" + parts.joined(separator: ", ") + "]"
            return items.count > 1 && text.count > maximumInlineWidth ? nil : text
        case .object(let items, let isInline):
            if items.isEmpty { return "{}" }
            guard isInline else { return nil }
            var parts: [String] = []
            for item in items {
                guard let value = inline(item.value) else { return nil }
                parts.append(Self.key(item.key) + " = " + value)
            }
            return "{ " + parts.joined(separator: ", ") + " }"
        case .heredoc:
            return nil
        case .conditional(let condition, let then, let otherwise):
            guard let c = inline(condition), let t = inline(then), let o = inline(otherwise) else { return nil }
            return c + " ? " + t + " : " + o
        case .binary(let lhs, let op, let rhs):
            guard let l = inline(lhs), let r = inline(rhs) else { return nil }
            return l + " " + op.rawValue + " " + r
        case .not(let operand):
            return inline(operand).map { "!" + $0 }
        case .parenthesized(let inner):
            return inline(inner).map { "(" + $0 + ")" }
        case .forList(let item, let collection, let result, let condition):
            guard let c = inline(collection), let r = inline(result) else { return nil }
            var text = "[for " + item + " in " + c + " : " + r
            if let condition {
                guard let f = inline(condition) else { return nil }
                text += " if " + f
            }
            return text + "]"
        case .forObject(let key, let value, let collection, let resultKey, let resultValue, let grouped):
            guard let c = inline(collection), let k = inline(resultKey), let v = inline(resultValue) else { return nil }
            let variables = value.map { key + ", " + $0 } ?? key
            return "{ for " + variables + " in " + c + " : " + k + " => " + v + (grouped ? "..." : "") + " }"
        }
    }

    // MARK: - Lines

    /// One output line. `assign` holds `= value` for one-line attributes, which `terraform fmt` aligns
    /// within runs; `continuation` holds heredoc lines written verbatim after it.
    struct Line {
        var indent: Int
        var lead: String
        var assign: String?
        var continuation: [String] = []

        static let blank = Line(indent: 0, lead: "", assign: nil)
        var isBlank: Bool { lead.isEmpty && assign == nil }
    }

    /// A rendered expression: its first line (continuing the line it starts on) and the lines after it.
    struct Rendered {
        var head: String
        var tail: [Line] = []
        /// Heredoc lines written verbatim after the head (the expression still counts as one line).
        var verbatim: [String] = []
    }

    static func layout(_ lines: [Line]) -> String {
        var widths = [Int](repeating: 0, count: lines.count)
        var index = 0
        while index < lines.count {
            guard lines[index].assign != nil else {
                index += 1
                continue
            }
            var end = index
            var width = 0
            while end < lines.count, lines[end].assign != nil {
                width = max(width, lines[end].indent * 2 + lines[end].lead.unicodeScalars.count)
                end += 1
            }
            for position in index..<end { widths[position] = width }
            index = end
        }
        var output = ""
        for (position, line) in lines.enumerated() {
            if line.isBlank {
                output += "\n"
                continue
            }
            let prefix = String(repeating: "  ", count: line.indent) + line.lead
            output += prefix
            if let assign = line.assign {
                output += String(repeating: " ", count: widths[position] - prefix.unicodeScalars.count + 1) + assign
            }
            output += "\n"
            for verbatim in line.continuation { output += verbatim + "\n" }
        }
        return output
    }

    func appendBody(_ body: HCLBody, indent: Int, to lines: inout [Line]) {
        var pendingBlank = false
        var wroteAny = false
        var previousWasBlock = false
        for item in body.items {
            switch item {
            case .separator:
                pendingBlank = wroteAny
                continue
            case .comment(let text):
                if wroteAny && (pendingBlank || previousWasBlock) { lines.append(.blank) }
                pendingBlank = false
                previousWasBlock = false
                let single = text.map { $0.isNewline ? " " : $0 }
                lines.append(Line(indent: indent, lead: "# " + String(single), assign: nil))
                wroteAny = true
                continue
            case .attribute(let name, let expression):
                if wroteAny && (pendingBlank || previousWasBlock), !Self.endsWithComment(lines) { lines.append(.blank) }
                appendAttribute(lead: name, expression, indent: indent, to: &lines)
                previousWasBlock = false
            case .block(let block):
                if wroteAny, !Self.endsWithComment(lines) { lines.append(.blank) }
                appendBlock(block, indent: indent, to: &lines)
                previousWasBlock = true
            }
            pendingBlank = false
            wroteAny = true
        }
    }

    private static func endsWithComment(_ lines: [Line]) -> Bool {
        guard let last = lines.last else { return false }
        return last.assign == nil && last.lead.hasPrefix("# ")
    }

    func appendBlock(_ block: HCLBlock, indent: Int, to lines: inout [Line]) {
        var header = block.type
        for label in block.labels { header += " \"" + HCLEscaping.quoted(label) + "\"" }
        if block.body.isEmpty {
            lines.append(Line(indent: indent, lead: header + " {}", assign: nil))
            return
        }
        lines.append(Line(indent: indent, lead: header + " {", assign: nil))
        appendBody(block.body, indent: indent + 1, to: &lines)
        lines.append(Line(indent: indent, lead: "}", assign: nil))
    }

    func appendAttribute(lead: String, _ expression: HCLExpression, indent: Int, to lines: inout [Line]) {
        let value = render(expression, indent: indent)
        if value.tail.isEmpty {
            lines.append(Line(indent: indent, lead: lead, assign: "= " + value.head, continuation: value.verbatim))
        } else {
            lines.append(Line(indent: indent, lead: lead + " = " + value.head, assign: nil))
            lines.append(contentsOf: value.tail)
        }
    }

    /// Renders an expression that starts on a line at `indent`.
    func render(_ expression: HCLExpression, indent: Int) -> Rendered {
        if let text = inline(expression) { return Rendered(head: text) }
        switch expression {
        case .heredoc(let text):
            return renderHeredoc(text)
        case .list(let items):
            var tail: [Line] = []
            for item in items {
                var rendered = render(item, indent: indent + 1)
                if rendered.tail.isEmpty {
                    tail.append(Line(indent: indent + 1, lead: rendered.head + ",", assign: nil))
                } else {
                    tail.append(Line(indent: indent + 1, lead: rendered.head, assign: nil))
                    rendered.tail[rendered.tail.count - 1].lead += ","
                    tail.append(contentsOf: rendered.tail)
                }
            }
            tail.append(Line(indent: indent, lead: "]", assign: nil))
            return Rendered(head: "[", tail: tail)
        case .object(let items, _):
            var tail: [Line] = []
            for item in items {
                appendAttribute(lead: Self.key(item.key), item.value, indent: indent + 1, to: &tail)
            }
            tail.append(Line(indent: indent, lead: "}", assign: nil))
            return Rendered(head: "{", tail: tail)
        case .call(let name, let arguments):
            let rendered = arguments.map { render($0, indent: indent) }
            let leading = rendered.dropLast()
            if let last = rendered.last, !last.tail.isEmpty, leading.allSatisfy({ $0.tail.isEmpty && $0.verbatim.isEmpty }) {
                let prefix = leading.map { $0.head + ", " }.joined()
                var tail = last.tail
                tail[tail.count - 1].lead += ")"
                return Rendered(head: name + "(" + prefix + last.head, tail: tail)
            }
            var tail: [Line] = []
            for argument in arguments {
                var inner = render(argument, indent: indent + 1)
                if inner.tail.isEmpty {
                    tail.append(Line(indent: indent + 1, lead: inner.head + ",", assign: nil))
                } else {
                    tail.append(Line(indent: indent + 1, lead: inner.head, assign: nil))
                    inner.tail[inner.tail.count - 1].lead += ","
                    tail.append(contentsOf: inner.tail)
                }
            }
            tail.append(Line(indent: indent, lead: ")", assign: nil))
            return Rendered(head: name + "(", tail: tail)
        case .conditional(let condition, let then, let otherwise):
            return prefixed(inlineParts: [(condition, ""), (then, " ? ")], last: otherwise, separator: " : ", indent: indent)
        case .binary(let lhs, let op, let rhs):
            return prefixed(inlineParts: [(lhs, "")], last: rhs, separator: " " + op.rawValue + " ", indent: indent)
        case .not(let operand):
            var rendered = render(operand, indent: indent)
            rendered.head = "!" + rendered.head
            return rendered
        case .parenthesized(let inner):
            var rendered = render(inner, indent: indent)
            rendered.head = "(" + rendered.head
            if rendered.tail.isEmpty { rendered.head += ")" } else { rendered.tail[rendered.tail.count - 1].lead += ")" }
            return rendered
        case .forList(let item, let collection, let result, let condition):
            let head = "[for " + item + " in " + (inline(collection) ?? "[]") + " : "
            var rendered = render(result, indent: indent)
            rendered.head = head + rendered.head
            let suffix = (condition.flatMap(inline).map { " if " + $0 } ?? "") + "]"
            if rendered.tail.isEmpty { rendered.head += suffix } else { rendered.tail[rendered.tail.count - 1].lead += suffix }
            return rendered
        case .forObject(let key, let value, let collection, let resultKey, let resultValue, let grouped):
            let variables = value.map { key + ", " + $0 } ?? key
            let head = "for " + variables + " in " + (inline(collection) ?? "[]") + " : " + (inline(resultKey) ?? "null") + " => "
            var rendered = render(resultValue, indent: indent + 1)
            var tail = [Line(indent: indent + 1, lead: head + rendered.head + (rendered.tail.isEmpty && grouped ? "..." : ""), assign: nil)]
            if !rendered.tail.isEmpty {
                if grouped { rendered.tail[rendered.tail.count - 1].lead += "..." }
                tail.append(contentsOf: rendered.tail)
            }
            tail.append(Line(indent: indent, lead: "}", assign: nil))
            return Rendered(head: "{", tail: tail)
        default:
            // Every other case has an inline form.
            return Rendered(head: inline(expression) ?? "null")
        }
    }

    private func prefixed(inlineParts: [(HCLExpression, String)], last: HCLExpression, separator: String, indent: Int) -> Rendered {
        var head = ""
        for (part, joiner) in inlineParts {
            head += joiner + (inline(part) ?? "null")
        }
        var rendered = render(last, indent: indent)
        rendered.head = head + separator + rendered.head
        return rendered
    }

    private func renderHeredoc(_ text: String) -> Rendered {
        let escaped = HCLEscaping.heredoc(text)
        var body = escaped.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if body.last == "" { body.removeLast() }
        var marker = "EOT"
        var counter = 0
        while body.contains(where: { Self.trimmed($0) == marker }) {
            counter += 1
            marker = "EOT\(counter)"
        }
        return Rendered(head: "<<" + marker, verbatim: body + [marker])
    }

    private func inlineTemplate(_ parts: [HCLTemplatePart]) -> String? {
        let merged = Self.mergeLiterals(parts)
        // `"${x}"` is written `x`, as `terraform fmt` does.
        if merged.count == 1, case .interpolation(let expression) = merged[0] { return inline(expression) }
        var text = "\""
        for (index, part) in merged.enumerated() {
            switch part {
            case .literal(var literal):
                // A literal `$` (or `%`) right before `${` (or `%{`) would turn it into an escape;
                // write that one character as an interpolated string instead.
                var trailer = ""
                if index + 1 < merged.count, let last = literal.last {
                    switch (last, merged[index + 1]) {
                    case ("$", .interpolation), ("%", .directive):
                        literal.removeLast()
                        trailer = "${\"" + String(last) + "\"}"
                    default: break
                    }
                }
                text += HCLEscaping.quoted(literal) + trailer
            case .interpolation(let expression):
                guard let inner = inline(expression) else { return nil }
                text += "${" + inner + "}"
            case .directive(let directive):
                text += "%{" + Self.trimmed(directive) + "}"
            }
        }
        return text + "\""
    }

    static func mergeLiterals(_ parts: [HCLTemplatePart]) -> [HCLTemplatePart] {
        var merged: [HCLTemplatePart] = []
        for part in parts {
            if case .literal(let text) = part {
                if text.isEmpty { continue }
                if case .literal(let previous)? = merged.last {
                    merged[merged.count - 1] = .literal(previous + text)
                    continue
                }
            }
            merged.append(part)
        }
        return merged
    }

    static func trimmed(_ text: String) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }

    static func key(_ name: String) -> String {
        HCLEscaping.isIdentifier(name) ? name : "\"" + HCLEscaping.quoted(name) + "\""
    }

    static func format(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
