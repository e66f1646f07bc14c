import GatewayCore

/// A systemd credential of the node: its name inside the unit (`LoadCredentialEncrypted=` ID, also
/// embedded in the encrypted file) and its encrypted file, both from ``NodeLayout``.
struct NodeCredential: Sendable, Equatable {
    /// The credential ID, e.g. `lucidlink-password`.
    var name: String
    /// The encrypted file.
    var path: String

    /// The LucidLink password of one filespace.
    static func lucidLinkPassword(mountName: String) -> NodeCredential {
        NodeCredential(name: NodeLayout.lucidLinkCredentialName, path: NodeLayout.lucidLinkCredentialPath(mountName: mountName))
    }

    /// The gateways' root access key.
    static let gatewayRootAccessKey = NodeCredential(name: NodeLayout.rootAccessKeyCredentialName, path: NodeLayout.rootAccessKeyCredentialPath)

    /// The gateways' root secret key.
    static let gatewayRootSecretKey = NodeCredential(name: NodeLayout.rootSecretKeyCredentialName, path: NodeLayout.rootSecretKeyCredentialPath)
}
