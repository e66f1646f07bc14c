import Foundation
import GatewayCore
import NIOSSL

/// The certificate chain and private key the server presents, read from PEM files and checked:
/// both files readable, at least one certificate, an unencrypted private key, the key belonging
/// to the first (leaf) certificate, and that certificate not expired.
struct TLSIdentity: Sendable {
    /// Why a certificate or key cannot be used; the message names the option and the fix, and never
    /// holds key material.
    struct LoadError: Error, CustomStringConvertible, Sendable {
        let description: String
    }

    /// The leaf certificate first, then any intermediates, as in the certificate file.
    let chain: [NIOSSLCertificate]
    let privateKey: NIOSSLPrivateKey

    /// SHA-256 of the leaf certificate's DER encoding, as colon-separated upper-case hex (the format
    /// of `openssl x509 -fingerprint -sha256`). Safe to log: it identifies a public certificate.
    var fingerprint: String {
        let der = (try? chain[0].toDERBytes()) ?? []
        return AWSCrypto.sha256(der).map { String(format: "%02X", $0) }.joined(separator: ":")
    }

    /// The leaf certificate's expiry.
    var notValidAfter: Date { Date(timeIntervalSince1970: TimeInterval(chain[0].notValidAfter)) }

    /// Files larger than this are refused before parsing (a PEM chain is a few kilobytes).
    static let fileSizeLimit = 1 << 20

    /// Reads and checks a PEM certificate chain and its private key.
    static func load(certificatePath: String, keyPath: String) throws(LoadError) -> TLSIdentity {
        let certificateText: String
        let keyText: String
        do {
            certificateText = try AtomicFile.readText(certificatePath, limit: fileSizeLimit)
        } catch {
            throw LoadError(description: "--tls-certificate \(certificatePath): \(error.reason); give a readable PEM certificate file")
        }
        do {
            keyText = try AtomicFile.readText(keyPath, limit: fileSizeLimit)
        } catch {
            throw LoadError(description: "--tls-key \(keyPath): \(error.reason); give a readable PEM private key file")
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMBytes(Array(certificateText.utf8))
        } catch {
            chain = []
        }
        guard !chain.isEmpty else {
            throw LoadError(description: "--tls-certificate \(certificatePath): no PEM certificate found; give the server certificate (then any intermediates) as -----BEGIN CERTIFICATE----- blocks")
        }
        if keyText.contains("ENCRYPTED") {
            throw LoadError(description: "--tls-key \(keyPath): the private key is encrypted; give it unencrypted (e.g. openssl pkey -in KEY -out PLAIN-KEY) and restrict the file's permissions")
        }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(bytes: Array(keyText.utf8), format: .pem)
        } catch {
            throw LoadError(description: "--tls-key \(keyPath): no PEM private key found; give the unencrypted PEM private key (-----BEGIN PRIVATE KEY-----) of the certificate")
        }
        let identity = TLSIdentity(chain: chain, privateKey: privateKey)
        guard identity.notValidAfter > Date() else {
            throw LoadError(description: "--tls-certificate \(certificatePath): the certificate expired on \(identity.notValidAfter.formatted(.iso8601)); give a current certificate")
        }
        // BoringSSL compares the key with the leaf certificate's public key when both are set.
        do {
            _ = try NIOSSLContext(configuration: identity.serverConfiguration())
        } catch {
            throw LoadError(
                description:
                    "--tls-key \(keyPath): the private key does not belong to the first certificate in --tls-certificate \(certificatePath); give the key the certificate was issued for, and put the server certificate first in the file"
            )
        }
        return identity
    }

    /// A server configuration presenting this identity; TLS 1.2 or later.
    func serverConfiguration() -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(privateKey)
        )
        configuration.minimumTLSVersion = .tlsv12
        return configuration
    }
}
