import Foundation
import Hummingbird
import NIOCore

/// Reads request bodies within the size limit and tells config bodies' formats apart.
struct RequestBodyReader: Sendable {
    /// Formats a config body may come in.
    enum ConfigFormat: Sendable {
        case json
        case yaml
    }

    /// Media types accepted for configs.
    static let jsonMediaTypes = ["application/json"]
    static let yamlMediaTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"]

    let maximumBytes: Int

    /// The whole body, or a 413 problem when it is larger than the limit.
    func data(of request: Request) async throws -> Data {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: maximumBytes)
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIProblem(.contentTooLarge, "the body is larger than the limit of \(maximumBytes) bytes")
        }
    }

    /// The config format named by `Content-Type`, or a 415 problem.
    func configFormat(of request: Request) throws -> ConfigFormat {
        let mediaType = request.headers[.contentType].map(Self.mediaType) ?? ""
        if Self.jsonMediaTypes.contains(mediaType) { return .json }
        if Self.yamlMediaTypes.contains(mediaType) { return .yaml }
        let given = mediaType.isEmpty ? "no Content-Type" : "Content-Type \(mediaType)"
        throw APIProblem(.unsupportedMediaType, "\(given): send the config as application/json or application/yaml")
    }

    /// A JSON body, decoded, or a 400 problem naming what is wrong.
    func decode<Value: Decodable>(_ type: Value.Type, from request: Request) async throws -> Value {
        let mediaType = request.headers[.contentType].map(Self.mediaType) ?? ""
        guard Self.jsonMediaTypes.contains(mediaType) else {
            throw APIProblem(.unsupportedMediaType, "send the body as application/json")
        }
        let body = try await data(of: request)
        do {
            return try JSONDecoder().decode(Value.self, from: body)
        } catch let error as DecodingError {
            throw APIProblem(.malformedRequest, Self.describe(error))
        }
    }

    /// The media type without parameters, lowercased: `application/json; charset=utf-8` → `application/json`.
    static func mediaType(_ header: String) -> String {
        String(header.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
    }

    /// A decoding error in words that name the field but quote no input.
    static func describe(_ error: DecodingError) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            let joined = codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return joined.hasPrefix(".") ? String(joined.dropFirst()) : joined
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context.codingPath)
            return "the body is missing `\(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)`"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = path(context.codingPath)
            return field.isEmpty ? "the body has the wrong shape" : "`\(field)` has the wrong type"
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return field.isEmpty ? "the body is not valid JSON" : "`\(field)` has an invalid value"
        @unknown default:
            return "the body cannot be read"
        }
    }
}
