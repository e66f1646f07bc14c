/// The systemd credentials on a gateway instance: their names inside a unit (`LoadCredentialEncrypted=`
/// IDs, also embedded in the encrypted file) and the encrypted files in the credential store.
///
/// The files are encrypted on the instance at boot by the node runtime (`systemd-creds encrypt`, with
/// the instance's own TPM or host key), never in the image.
public struct NodeCredential: Sendable, Equatable, Hashable {
    /// The credential ID inside the unit, e.g. `lucidlink-password`; `systemd-creds encrypt --name=`.
    public var name: String
    /// The encrypted file, e.g. `/etc/credstore.encrypted/lucidlink-media.cred`.
    public var path: String

    /// Creates a credential.
    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// The LucidLink password of one filespace (read by the daemon on standard input).
    public static func lucidLinkPassword(mountName: String) -> NodeCredential {
        NodeCredential(name: "lucidlink-password", path: "\(NodePaths.credentialDirectory)/lucidlink-\(mountName).cred")
    }

    /// The gateways' root access key (`ROOT_ACCESS_KEY_ID`).
    public static let gatewayRootAccessKey = NodeCredential(name: "root-access-key", path: "\(NodePaths.credentialDirectory)/gateway-root-access-key.cred")

    /// The gateways' root secret key (`ROOT_SECRET_ACCESS_KEY`).
    public static let gatewayRootSecretKey = NodeCredential(name: "root-secret-key", path: "\(NodePaths.credentialDirectory)/gateway-root-secret-key.cred")

    /// The `LoadCredentialEncrypted=` value: `ID:PATH`.
    public var loadDirective: String { "\(name):\(SystemdSyntax.path(path))" }
}
