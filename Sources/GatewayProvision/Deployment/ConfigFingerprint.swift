import Foundation
import GatewayCore

/// A config's canonical encoding and its hash, which identify the config a plan was made from.
///
/// The encoding is JSON with sorted keys in which every secret appears as its reference
/// (`env:NAME`, `file:PATH`, `ssm:/PATH`) or as `<redacted>`, never as a value; it is what the
/// workspace stores as "the config" of a run.
public struct ConfigFingerprint: Sendable, Equatable {
    /// The canonical JSON encoding.
    public let canonicalJSON: Data
    /// SHA-256 of ``canonicalJSON``, hexadecimal.
    public let hash: String

    /// Computes the fingerprint of `config`.
    public init(_ config: GatewayConfig) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(config)
        data.append(0x0A)
        canonicalJSON = data
        hash = SHA256Digest.hex(data)
    }

    /// The first 12 characters of the hash, for messages.
    public var shortHash: String { String(hash.prefix(12)) }
}
