/// Where things live on a gateway instance. The renderer writes units, the boot script and the image
/// build against these paths, and the node runtime (`gw-cli node apply`) prepares them, so both sides
/// take them from here.
///
/// What the node runtime provides before the gateway units start (the setup unit runs it first):
/// the cache filesystem mounted at ``StorageSettings/cacheMountPoint``; ``lucidLinkDataDirectory(cacheMountPoint:mountName:)``
/// and each filespace mount point owned by ``serviceUser``; the secrets from SSM encrypted with
/// `systemd-creds` (this instance's host key) into ``lucidLinkCredentialPath(mountName:)``,
/// ``rootAccessKeyCredentialPath`` and ``rootSecretKeyCredentialPath``; ``logDirectory`` owned by
/// ``serviceUser``.
public enum NodeLayout {
    /// The node config file (`node.json`).
    public static let configPath = "/etc/gateway/node.json"
    /// Directory of the node config.
    public static let configDirectory = "/etc/gateway"
    /// The `gw-cli` binary.
    public static let cliBinary = "/usr/local/bin/gw-cli"
    /// The VersityGW binary.
    public static let versityGatewayBinary = "/usr/local/bin/versitygw"
    /// Helper scripts the units run (installed with the image).
    public static let helperDirectory = "/usr/local/lib/gateway"
    /// State of the node runtime.
    public static let stateDirectory = "/var/lib/gateway"
    /// Encrypted credentials (`systemd-creds`), readable by root only.
    public static let credentialDirectory = "/var/lib/gateway/credentials"
    /// Logs written by the gateway processes (the proxy's access log by default).
    public static let logDirectory = "/var/log/gateway"
    /// The unprivileged account the LucidLink daemons, gateways and proxy run as.
    public static let serviceUser = "gateway"
    /// Where unit files are installed.
    public static let unitDirectory = "/etc/systemd/system"
    /// The target that groups every gateway unit.
    public static let target = "gateway.target"
    /// The one-shot unit that runs `gw-cli node apply` before everything else.
    public static let setupUnit = "gateway-node-setup.service"
    /// The balancing proxy's unit.
    public static let proxyUnit = "gateway-proxy.service"
    /// The VersityGW template unit; instances are ports.
    public static let gatewayTemplateUnit = "versitygw@.service"
    /// The CloudWatch agent's configuration file.
    public static let cloudWatchAgentConfigPath = "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json"

    /// The VersityGW unit for a port, e.g. `versitygw@7070.service`.
    public static func gatewayUnit(port: Int) -> String { "versitygw@\(port).service" }

    /// The LucidLink unit of a filespace, e.g. `lucidlink-mycompany.service`.
    public static func lucidLinkUnit(mountName: String) -> String { "lucidlink-\(mountName).service" }

    /// Credential name of a filespace password inside its unit.
    public static let lucidLinkCredentialName = "lucidlink-password"

    /// The encrypted password of a filespace.
    public static func lucidLinkCredentialPath(mountName: String) -> String {
        "\(credentialDirectory)/lucidlink-\(mountName).cred"
    }

    /// Credential name of the gateways' root access key.
    public static let rootAccessKeyCredentialName = "root-access-key"
    /// Credential name of the gateways' root secret key.
    public static let rootSecretKeyCredentialName = "root-secret-key"
    /// The encrypted root access key.
    public static let rootAccessKeyCredentialPath = "\(credentialDirectory)/root-access-key.cred"
    /// The encrypted root secret key.
    public static let rootSecretKeyCredentialPath = "\(credentialDirectory)/root-secret-key.cred"

    /// LucidLink's root and config path (and cache location) of a filespace on the cache filesystem.
    public static func lucidLinkDataDirectory(cacheMountPoint: String, mountName: String) -> String {
        "\(cacheMountPoint)/lucidlink/\(mountName)"
    }
}
