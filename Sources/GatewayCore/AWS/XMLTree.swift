import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: name (without namespace prefix), text content and child elements.
/// AWS query-protocol responses are small, so a tree is the simplest thing to read typed values from.
public struct XMLTree: Sendable, Equatable {
    /// Local name of the element.
    public let name: String
    /// Concatenated character data directly inside the element, trimmed.
    public let text: String
    /// Child elements in document order.
    public let children: [XMLTree]

    public init(name: String, text: String = "", children: [XMLTree] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLTree? {
        children.first { $0.name == name }
    }

    /// The element at a path of child names.
    public func element(_ path: String...) -> XMLTree? {
        var node: XMLTree? = self
        for name in path { node = node?.child(name) }
        return node
    }

    /// Text of the element at a path of child names, or `nil` when it is absent.
    public func string(_ path: String...) -> String? {
        var node: XMLTree? = self
        for name in path { node = node?.child(name) }
        return node?.text
    }

    /// Entries of a list element: its `member` (query protocol) or `item` (EC2) children.
    public func list(_ name: String) -> [XMLTree] {
        guard let container = child(name) else { return [] }
        return container.children.filter { $0.name == "member" || $0.name == "item" }
    }

    /// Parses `data`; returns `nil` when it is not well-formed XML.
    public static func parse(_ data: [UInt8]) -> XMLTree? {
        let builder = Builder()
        let parser = XMLParser(data: Data(data))
        parser.delegate = builder
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        private struct Open {
            var name: String
            var text = ""
            var children: [XMLTree] = []
        }

        private var stack: [Open] = []
        var root: XMLTree?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(Open(name: local))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self) }
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            guard let open = stack.popLast() else { return }
            let node = XMLTree(
                name: open.name, text: open.text.trimmingCharacters(in: .whitespacesAndNewlines),
                children: open.children)
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].children.append(node)
            }
        }
    }
}
