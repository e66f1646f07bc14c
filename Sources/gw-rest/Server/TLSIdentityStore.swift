import NIOCore
import NIOSSL
import Synchronization

/// The identity new TLS connections get, replaceable while the server runs.
///
/// Hummingbird's TLS server builder takes one `TLSConfiguration` at start and makes one
/// `NIOSSLContext` from it. To change the certificate without restarting the listener, that
/// configuration carries NIOSSL's `sslContextCallback`: BoringSSL calls it for every ClientHello, and
/// it answers with the chain and key currently in this store (a lock-protected value). A reload
/// swaps the stored value, so connections accepted afterwards present the new certificate while
/// connections already established keep theirs. A reload that fails leaves the current identity in
/// place.
final class TLSIdentityStore: Sendable {
    /// The certificate chain file, re-read on reload.
    let certificatePath: String
    /// The private key file, re-read on reload.
    let keyPath: String
    private let current: Mutex<TLSIdentity>

    /// Loads the identity from the files; throws if they cannot be used.
    init(certificatePath: String, keyPath: String) throws(TLSIdentity.LoadError) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        current = Mutex(try TLSIdentity.load(certificatePath: certificatePath, keyPath: keyPath))
    }

    /// The identity new connections get.
    var identity: TLSIdentity { current.withLock { $0 } }

    /// Re-reads both files; on success new connections get the new identity, which is returned. On
    /// failure the current identity stays and the error says why.
    @discardableResult
    func reload() throws(TLSIdentity.LoadError) -> TLSIdentity {
        let loaded = try TLSIdentity.load(certificatePath: certificatePath, keyPath: keyPath)
        current.withLock { $0 = loaded }
        return loaded
    }

    /// The server configuration: TLS 1.2 or later, each handshake using the identity current when
    /// the client's hello arrives.
    func serverConfiguration() -> TLSConfiguration {
        var configuration = identity.serverConfiguration()
        configuration.sslContextCallback = { [self] _, promise in
            let identity = self.identity
            var override = NIOSSLContextConfigurationOverride()
            override.certificateChain = identity.chain.map { .certificate($0) }
            override.privateKey = .privateKey(identity.privateKey)
            promise.succeed(override)
        }
        return configuration
    }
}
