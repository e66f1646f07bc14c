import Foundation
import HTTPTypes
import Hummingbird

/// Encodes response bodies the same way everywhere: sorted keys, unescaped slashes, ISO 8601 dates.
enum JSONBody {
    /// The media type of API responses.
    static let mediaType = "application/json"
    /// The media type of problem responses (RFC 9457).
    static let problemMediaType = "application/problem+json"

    /// A JSON response with the given status.
    static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var fields = headers
        fields[.contentType] = mediaType
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: try encode(value))))
    }

    /// Encodes a value as JSON bytes.
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }
}

extension APIProblem {
    /// The problem as an `application/problem+json` response, with `WWW-Authenticate` on 401 and
    /// `Allow` on 405.
    func response(instance path: String?) -> Response {
        var problem = self
        if problem.instance == nil { problem.instance = path }
        var headers: HTTPFields = [.contentType: JSONBody.problemMediaType]
        switch kind {
        case .unauthorized:
            headers[.wwwAuthenticate] = #"Bearer realm="gw-rest""#
        case .methodNotAllowed:
            headers[.allow] = (allowedMethods ?? []).joined(separator: ", ")
        case .contentTooLarge:
            // The rest of an oversized body is not read; the connection cannot be reused.
            headers[.connection] = "close"
        default:
            break
        }
        // Encoding a problem cannot fail (strings, numbers and problem lists only); the fallback keeps
        // the response well-formed anyway.
        let data =
            (try? JSONBody.encode(problem)) ?? Data(#"{"type":"urn:gateway:problem:internal-error","title":"Internal server error","status":500,"detail":"the error could not be encoded"}"#.utf8)
        return Response(status: kind.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
