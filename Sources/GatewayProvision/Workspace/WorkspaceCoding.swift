import Foundation

/// JSON encoding shared by every file of a workspace: ISO 8601 times with milliseconds, sorted keys.
enum WorkspaceCoding {
    private static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timeFormat.format(date))
        }
        return encoder
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = try? timeFormat.parse(text) { return date }
            if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 time: \(text)")
        }
        return decoder
    }()

    static func prettyData<Value: Encodable>(_ value: Value) throws -> Data {
        var data = try encoder(pretty: true).encode(value)
        data.append(0x0A)
        return data
    }

    /// One JSON line (no newline inside), for event logs and `--json` streams.
    static func line<Value: Encodable>(_ value: Value) throws -> String {
        String(decoding: try encoder(pretty: false).encode(value), as: UTF8.self)
    }
}
