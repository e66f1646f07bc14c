import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A swift-log handler that writes one JSON object per line to standard error:
/// `{"ts": ISO 8601 UTC with milliseconds, "level", "label", "message", ...metadata}`, keys sorted.
///
/// The line is built by hand (escaping per RFC 8259) rather than through `JSONSerialization`, which
/// cost more than the rest of a small request together.
struct JSONLogHandler: LogHandler {
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    let label: String

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = event.metadata.map { metadata.merging($0) { _, new in new } } ?? metadata
        let line = Self.line(time: Self.timestamp(), level: event.level, label: label, message: event.message.description, metadata: merged)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// One log line, newline included.
    static func line(time: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var fields: [(String, Logger.Metadata.Value)] = [
            ("ts", .string(time)), ("level", .string(level.rawValue)), ("label", .string(label)), ("message", .string(message)),
        ]
        for (key, value) in metadata where !["ts", "level", "label", "message"].contains(key) {
            fields.append((key, value))
        }
        fields.sort { $0.0 < $1.0 }
        var line = "{"
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(",") }
            appendString(field.0, to: &line)
            line.append(":")
            appendValue(field.1, to: &line)
        }
        line.append("}\n")
        return line
    }

    /// The current time as `2026-11-27T10:12:27.121Z`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }

    static func appendValue(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let text):
            appendString(text, to: &line)
        case .stringConvertible(let convertible):
            appendString(convertible.description, to: &line)
        case .array(let items):
            line.append("[")
            for (index, item) in items.enumerated() {
                if index > 0 { line.append(",") }
                appendValue(item, to: &line)
            }
            line.append("]")
        case .dictionary(let map):
            line.append("{")
            for (index, entry) in map.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line.append(",") }
                appendString(entry.key, to: &line)
                line.append(":")
                appendValue(entry.value, to: &line)
            }
            line.append("}")
        }
    }

    /// Appends a JSON string literal: quotes, backslashes and control characters escaped.
    static func appendString(_ text: String, to line: inout String) {
        line.append("\"")
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line.append("\\\"")
            case "\\": line.append("\\\\")
            case "\n": line.append("\\n")
            case "\r": line.append("\\r")
            case "\t": line.append("\\t")
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    line.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    line.unicodeScalars.append(scalar)
                }
            }
        }
        line.append("\"")
    }
}
