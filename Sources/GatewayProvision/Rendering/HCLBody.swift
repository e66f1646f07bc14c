/// The contents of an HCL file or block: attributes, nested blocks and comments, in order.
public struct HCLBody: Sendable, Equatable {
    /// One item of a body.
    public enum Item: Sendable, Equatable {
        /// `name = expression`.
        case attribute(String, HCLExpression)
        /// A nested block.
        case block(HCLBlock)
        /// A `#` comment line (attached to the item that follows it).
        case comment(String)
        /// An empty line separating groups of attributes.
        case separator
    }

    /// The items in order.
    public private(set) var items: [Item]

    /// Creates a body.
    public init(_ items: [Item] = []) { self.items = items }

    /// Whether the body has no items.
    public var isEmpty: Bool { items.isEmpty }

    /// The value of an attribute; setting replaces it in place or appends it.
    public subscript(name: String) -> HCLExpression? {
        get {
            for case .attribute(let key, let value) in items where key == name { return value }
            return nil
        }
        set {
            let index = items.firstIndex { if case .attribute(let key, _) = $0 { key == name } else { false } }
            switch (index, newValue) {
            case (let index?, let value?): items[index] = .attribute(name, value)
            case (let index?, nil): items.remove(at: index)
            case (nil, let value?): items.append(.attribute(name, value))
            case (nil, nil): break
            }
        }
    }

    /// Appends a nested block.
    public mutating func append(_ block: HCLBlock) { items.append(.block(block)) }

    /// Appends nested blocks.
    public mutating func append(contentsOf blocks: [HCLBlock]) { items.append(contentsOf: blocks.map { .block($0) }) }

    /// Appends a comment line.
    public mutating func comment(_ text: String) { items.append(.comment(text)) }

    /// Appends an empty line (ignored at the start and end of a body and next to blocks).
    public mutating func separator() { items.append(.separator) }

    /// The nested blocks of a type.
    public func blocks(ofType type: String) -> [HCLBlock] {
        items.compactMap { if case .block(let block) = $0, block.type == type { block } else { nil } }
    }
}

/// A block: `type "label" ... { body }`.
public struct HCLBlock: Sendable, Equatable {
    /// The block type, e.g. `resource`.
    public var type: String
    /// The labels, e.g. `["aws_vpc", "main"]`; always written quoted.
    public var labels: [String]
    /// The contents.
    public var body: HCLBody

    /// Creates a block.
    public init(_ type: String, _ labels: String..., body: HCLBody = HCLBody()) {
        self.type = type
        self.labels = labels
        self.body = body
    }

    /// Creates a block with labels from an array.
    public init(type: String, labels: [String], body: HCLBody = HCLBody()) {
        self.type = type
        self.labels = labels
        self.body = body
    }

    /// An attribute of the block's body.
    public subscript(name: String) -> HCLExpression? {
        get { body[name] }
        set { body[name] = newValue }
    }

    /// Appends a nested block.
    public mutating func append(_ block: HCLBlock) { body.append(block) }

    /// Appends a comment line.
    public mutating func comment(_ text: String) { body.comment(text) }

    /// Appends an empty line between attribute groups.
    public mutating func separator() { body.separator() }
}
