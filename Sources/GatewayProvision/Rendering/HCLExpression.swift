/// An HCL expression: the right-hand side of an attribute, an argument, a list item.
///
/// The cases cover what Terraform and Packer configurations need. ``HCLWriter`` turns them into text
/// that `terraform fmt` leaves unchanged; literal text is always escaped by the writer, so a `.string`
/// may hold any Unicode text, including `${`, `%{`, quotes, backslashes and control characters.
public indirect enum HCLExpression: Sendable, Equatable {
    /// A quoted string literal; every character is taken literally.
    case string(String)
    /// A quoted template mixing literal text, interpolations and directives.
    case template([HCLTemplatePart])
    /// A whole number.
    case number(Int)
    /// A number with a fractional part.
    case decimal(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// A variable, attribute or type reference written as is: `var.region`, `aws_subnet.private[*].id`,
    /// `count.index`, `string`. Only for text built by the renderer, never for config values.
    case reference(String)
    /// A function call: `name(arg, ...)`, also type constructors such as `list(string)`.
    case call(String, [HCLExpression])
    /// A tuple `[a, b]`.
    case list([HCLExpression])
    /// An object `{ key = value }`; written on one line when `inline`, otherwise one item per line.
    case object([HCLObjectItem], inline: Bool)
    /// A heredoc template (`<<EOT`); its text is escaped like a template's literal text.
    case heredoc(String)
    /// `condition ? then : else`.
    case conditional(HCLExpression, HCLExpression, HCLExpression)
    /// A binary operation `lhs op rhs`; wrap operands in ``parenthesized(_:)`` where precedence needs it.
    case binary(HCLExpression, HCLOperator, HCLExpression)
    /// `!operand`.
    case not(HCLExpression)
    /// `(expression)`.
    case parenthesized(HCLExpression)
    /// `[for item in collection : result if condition]`.
    case forList(item: String, collection: HCLExpression, result: HCLExpression, condition: HCLExpression?)
    /// `{ for key, value in collection : resultKey => resultValue }`, with `...` when `grouped`.
    case forObject(key: String, value: String?, collection: HCLExpression, resultKey: HCLExpression, resultValue: HCLExpression, grouped: Bool)
}

/// One item of an object constructor.
public struct HCLObjectItem: Sendable, Equatable {
    /// The key; written bare when it is an identifier, quoted otherwise.
    public var key: String
    /// The value.
    public var value: HCLExpression

    /// Creates an object item.
    public init(_ key: String, _ value: HCLExpression) {
        self.key = key
        self.value = value
    }
}

/// A part of a quoted or heredoc template.
public enum HCLTemplatePart: Sendable, Equatable {
    /// Literal text, escaped by the writer.
    case literal(String)
    /// `${expression}`.
    case interpolation(HCLExpression)
    /// A directive written as `%{text}`, e.g. `for az in var.zones` or `endfor` (no inner spaces, as
    /// `terraform fmt` writes them).
    case directive(String)
}

/// Binary operators.
public enum HCLOperator: String, Sendable, Equatable {
    // The cases are the operators themselves (`==`, `&&`, `+`, ...).
    case equal = "=="
    case notEqual = "!="
    case and = "&&"
    case or = "||"
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
}

extension HCLExpression: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral {
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A whole number.
    public init(integerLiteral value: Int) { self = .number(value) }
    /// A boolean.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A tuple.
    public init(arrayLiteral elements: HCLExpression...) { self = .list(elements) }
}

extension HCLExpression {
    /// A reference (`var.x`, `aws_vpc.main.id`).
    public static func ref(_ traversal: String) -> HCLExpression { .reference(traversal) }

    /// A multi-line object from ordered key/value pairs.
    public static func object(_ items: [(String, HCLExpression)]) -> HCLExpression {
        .object(items.map { HCLObjectItem($0.0, $0.1) }, inline: false)
    }

    /// A one-line object from ordered key/value pairs.
    public static func inlineObject(_ items: [(String, HCLExpression)]) -> HCLExpression {
        .object(items.map { HCLObjectItem($0.0, $0.1) }, inline: true)
    }

    /// A list of string literals.
    public static func strings(_ values: [String]) -> HCLExpression { .list(values.map { .string($0) }) }

    /// A multi-line object of string literals with keys in sorted order (tags, environments).
    public static func stringMap(_ values: [(key: String, value: String)]) -> HCLExpression {
        .object(values.map { HCLObjectItem($0.key, .string($0.value)) }, inline: false)
    }

    /// A quoted template from parts, written as text with `${...}` for references, e.g.
    /// `.interpolated("com.amazonaws.", .ref("var.region"), ".s3")`.
    public static func interpolated(_ parts: any HCLTemplatePartConvertible...) -> HCLExpression {
        .template(parts.map(\.templatePart))
    }
}

/// Values that can be a template part: text is literal, expressions are interpolated.
public protocol HCLTemplatePartConvertible {
    /// The template part.
    var templatePart: HCLTemplatePart { get }
}

extension String: HCLTemplatePartConvertible {
    /// Literal text.
    public var templatePart: HCLTemplatePart { .literal(self) }
}

extension HCLExpression: HCLTemplatePartConvertible {
    /// An interpolation of this expression.
    public var templatePart: HCLTemplatePart { .interpolation(self) }
}

extension HCLTemplatePartConvertible where Self == HCLExpression {
    /// A reference inside ``HCLExpression/interpolated(_:)``.
    public static func ref(_ traversal: String) -> HCLExpression { .reference(traversal) }
}
