import Foundation
import Synchronization

/// AWS Signature Version 4 (header form), computed exactly as botocore's `SigV4Auth` does:
/// every header present is signed except `expect`, `transfer-encoding`, `user-agent` and `x-amzn-trace-id`,
/// `host` is always signed, query parameters are encoded and sorted, and an `X-Amz-Content-SHA256` header
/// (e.g. `UNSIGNED-PAYLOAD`) replaces the body hash.
public struct SigV4Signer: Sendable {
    /// The service's signing name, e.g. `sts`, `ec2`, `autoscaling`, `monitoring`, `ssm`.
    public let service: String
    /// The region in the credential scope, e.g. `eu-west-1`.
    public let region: String

    static let algorithm = "AWS4-HMAC-SHA256"
    static let unsignedHeaders: Set<String> = ["expect", "transfer-encoding", "user-agent", "x-amzn-trace-id"]

    /// The last derived signing key: it depends only on the secret, the day, the region and the service,
    /// so deriving it (four HMACs) once a day per credential set is enough.
    private let keyCache = SigningKeyCache()

    public init(service: String, region: String) {
        self.service = service
        self.region = region
    }

    private final class SigningKeyCache: Sendable {
        private struct Entry {
            let secret: String
            let dateStamp: String
            let key: [UInt8]
        }

        private let entry = Mutex<Entry?>(nil)

        func key(secret: String, dateStamp: String, derive: () -> [UInt8]) -> [UInt8] {
            if let cached = entry.withLock({ $0 }), cached.secret == secret, cached.dateStamp == dateStamp {
                return cached.key
            }
            let key = derive()
            entry.withLock { $0 = Entry(secret: secret, dateStamp: dateStamp, key: key) }
            return key
        }
    }

    /// The parts of one signature, exposed for diagnostics and tests (no secret material).
    public struct Signature: Sendable, Equatable {
        public let canonicalRequest: String
        public let stringToSign: String
        public let signedHeaders: String
        public let signature: String
        public let authorization: String
    }

    /// Signs `request` in place: sets `Host` (when missing), `X-Amz-Date`, `X-Amz-Security-Token` (temporary
    /// credentials) and `Authorization`.
    @discardableResult
    public func sign(_ request: inout AWSHTTPRequest, credentials: AWSCredentials, date: Date) -> Signature {
        let amzDate = AWSTimestamp.amzDate(date)
        request.removeHeader("Authorization")
        request.removeHeader("Date")
        request.setHeader("X-Amz-Date", amzDate)
        if let token = credentials.sessionToken {
            request.setHeader("X-Amz-Security-Token", token)
        }
        if request.header("host") == nil {
            request.headers.insert(("Host", request.endpoint.hostHeader), at: 0)
        }

        let (canonicalHeaders, signedHeaders) = Self.canonicalHeaders(request.headers)
        let payloadHash = request.header("x-amz-content-sha256") ?? AWSCrypto.hex(AWSCrypto.sha256(request.body))
        let canonicalRequest = [
            request.method.uppercased(),
            Self.canonicalURI(request.endpoint.basePath + request.path),
            Self.canonicalQuery(request.query),
            canonicalHeaders + "\n",
            signedHeaders,
            payloadHash,
        ].joined(separator: "\n")

        let dateStamp = String(amzDate.prefix(8))
        let scope = "\(dateStamp)/\(region)/\(service)/aws4_request"
        let stringToSign = [
            Self.algorithm, amzDate, scope, AWSCrypto.hex(AWSCrypto.sha256(canonicalRequest)),
        ].joined(separator: "\n")

        let signingKey = keyCache.key(secret: credentials.secretAccessKey, dateStamp: dateStamp) {
            Self.signingKey(secret: credentials.secretAccessKey, dateStamp: dateStamp, region: region, service: service)
        }
        let signature = AWSCrypto.hex(AWSCrypto.hmacSHA256(key: signingKey, message: stringToSign))
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        request.setHeader("Authorization", authorization)
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signedHeaders: signedHeaders,
            signature: signature, authorization: authorization)
    }

    static func signingKey(secret: String, dateStamp: String, region: String, service: String) -> [UInt8] {
        let dateKey = AWSCrypto.hmacSHA256(key: Array(("AWS4" + secret).utf8), message: dateStamp)
        let regionKey = AWSCrypto.hmacSHA256(key: dateKey, message: region)
        let serviceKey = AWSCrypto.hmacSHA256(key: regionKey, message: service)
        return AWSCrypto.hmacSHA256(key: serviceKey, message: "aws4_request")
    }

    /// Canonical URI of a decoded path: dot segments removed, then encoded twice as botocore does for every
    /// service but S3 (the path in its URL is already encoded once).
    static func canonicalURI(_ path: String) -> String {
        var segments: [Substring] = []
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts.dropFirst() {
            if part == "." { continue }
            if part == ".." {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(part)
        }
        var normalized = "/" + segments.joined(separator: "/")
        if path.isEmpty { normalized = "/" }
        return AWSPercentEncoding.encodePath(AWSPercentEncoding.encodePath(normalized))
    }

    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (AWSPercentEncoding.encode($0.name), AWSPercentEncoding.encode($0.value)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (String, String) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let lowered = name.lowercased()
            if unsignedHeaders.contains(lowered) { continue }
            values[lowered, default: []].append(trimAll(value))
        }
        let names = values.keys.sorted()
        let canonical = names.map { "\($0):\(values[$0]!.joined(separator: ","))" }.joined(separator: "\n")
        return (canonical, names.joined(separator: ";"))
    }

    /// Trims and collapses runs of whitespace to one space, like Python's `" ".join(value.split())`.
    static func trimAll(_ value: String) -> String {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            if scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value) {
                if !current.isEmpty {
                    words.append(String(current))
                    current = String.UnicodeScalarView()
                }
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words.joined(separator: " ")
    }
}
