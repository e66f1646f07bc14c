#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes secret values from text before it is shown, logged or stored.
///
/// Besides each value as given, the redactor also removes the forms in which tools commonly echo a
/// value: JSON string escaping (`"` → `\"`, `\` → `\\`, control characters) and Go's HTML-safe JSON
/// escaping (`<` → `\u003c`, `>` → `\u003e`, `&` → `\u0026`), which terraform's `-json` output uses.
/// A multi-line value is redacted line by line as well, since output is examined one line at a time.
public struct SecretRedactor: Sendable {
    /// What replaces each occurrence of a secret value.
    public static let replacement = "[REDACTED]"

    private let patterns: [[UInt8]]
    private static let replacementBytes = Array(replacement.utf8)

    /// Creates a redactor for the given secret values. Empty values are ignored.
    public init(values: [String]) {
        var forms = Set<String>()
        for value in values where !value.isEmpty {
            var candidates = [value]
            candidates += value.split(whereSeparator: \.isNewline).map(String.init)
            for candidate in candidates where !candidate.isEmpty {
                forms.insert(candidate)
                forms.insert(Self.jsonEscaped(candidate, htmlSafe: false))
                forms.insert(Self.jsonEscaped(candidate, htmlSafe: true))
            }
        }
        // Longest first, so that a value containing another value is removed whole.
        patterns = forms.map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    /// `true` when there is nothing to redact.
    public var isEmpty: Bool { patterns.isEmpty }

    /// `text` with every secret value replaced by ``replacement``.
    public func redact(_ text: String) -> String {
        if patterns.isEmpty { return text }
        var bytes = Array(text.utf8)
        guard redactInPlace(&bytes) else { return text }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Turns raw output bytes into a string with every secret value replaced.
    package func string(from bytes: UnsafeRawBufferPointer) -> String {
        guard !patterns.isEmpty, contains(in: bytes) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        var copy = Array(bytes)
        _ = redactInPlace(&copy)
        return String(decoding: copy, as: UTF8.self)
    }

    private func contains(in bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        for pattern in patterns where pattern.count <= bytes.count {
            let found = pattern.withUnsafeBytes { needle in
                Self.find(needle, in: UnsafeRawBufferPointer(start: base, count: bytes.count)) != nil
            }
            if found { return true }
        }
        return false
    }

    /// Replaces every occurrence of every pattern; returns whether anything was replaced.
    private func redactInPlace(_ bytes: inout [UInt8]) -> Bool {
        var changed = false
        for pattern in patterns where pattern.count <= bytes.count {
            var result: [UInt8] = []
            var searchStart = 0
            var replacedHere = false
            bytes.withUnsafeBytes { haystack in
                pattern.withUnsafeBytes { needle in
                    let base = haystack.baseAddress!
                    while searchStart <= haystack.count - needle.count {
                        let rest = UnsafeRawBufferPointer(start: base + searchStart, count: haystack.count - searchStart)
                        guard let hit = Self.find(needle, in: rest) else { break }
                        let offset = searchStart + hit
                        if !replacedHere {
                            result.reserveCapacity(haystack.count)
                            replacedHere = true
                        }
                        result.append(contentsOf: haystack[searchStart..<offset])
                        result.append(contentsOf: Self.replacementBytes)
                        searchStart = offset + needle.count
                    }
                    if replacedHere {
                        result.append(contentsOf: haystack[searchStart...])
                    }
                }
            }
            if replacedHere {
                bytes = result
                changed = true
            }
        }
        return changed
    }

    /// The offset of the first occurrence of `needle` in `haystack`: `memchr` for the first byte,
    /// `memcmp` for the rest.
    private static func find(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count, let base = haystack.baseAddress else {
            return nil
        }
        var offset = 0
        let lastStart = haystack.count - needle.count
        while offset <= lastStart {
            guard let hit = memchr(base + offset, Int32(first), lastStart - offset + 1) else { return nil }
            let position = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(hit, needle.baseAddress!, needle.count) == 0 { return position }
            offset = position + 1
        }
        return nil
    }

    private static func jsonEscaped(_ value: String, htmlSafe: Bool) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where htmlSafe: out += "\\u003c"
            case ">" where htmlSafe: out += "\\u003e"
            case "&" where htmlSafe: out += "\\u0026"
            case "\u{2028}" where htmlSafe: out += "\\u2028"
            case "\u{2029}" where htmlSafe: out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
