import GatewayCore

/// Node configs the tests plan and render units for.
enum SampleNodes {
    /// The reference shape: one v3 filespace, three gateways, secrets in SSM.
    static func reference(storage: StorageSettings = StorageSettings()) -> NodeConfig {
        NodeConfig(
            deployment: "s3-gateway-prod",
            region: "us-east-1",
            storage: storage,
            filespaces: [
                NodeFilespace(
                    name: "mycompany.dmpfs", user: "gateway@example.com", password: Secret(reference: "ssm:/s3-gateway/prod/filespaces/0/password"), rootPoint: "/", clientVersion: 3,
                    mountName: "mycompany", mountPoint: "/media/lucidlink/mycompany", instanceId: 2001)
            ],
            gateways: NodeGateways(
                ports: [7070, 7071, 7072], rootAccessKey: Secret(reference: "ssm:/s3-gateway/prod/gateway/rootAccessKey"),
                rootSecretKey: Secret(reference: "ssm:/s3-gateway/prod/gateway/rootSecretKey"), dataRoot: "/media/lucidlink/mycompany", iamDir: "/media/lucidlink/mycompany/.vgw",
                virtualDomain: "s3.example.com", healthPath: "/health")
        )
    }

    /// Two filespaces (v3 and v2), the IAM directory on the second, values that need escaping in units.
    static func twoFilespaces() -> NodeConfig {
        NodeConfig(
            deployment: "media-stage",
            region: "eu-west-1",
            filespaces: [
                NodeFilespace(
                    name: "studio.dmpfs", user: "gw+studio@example.com", password: Secret(reference: "file:/run/secrets/studio"), rootPoint: "/Projects 2024/100% done", clientVersion: 3,
                    mountName: "studio", mountPoint: "/media/lucidlink/studio", instanceId: 2001),
                NodeFilespace(
                    name: "archive.dmpfs", user: "archive@example.com", password: Secret(reference: "env:ARCHIVE_PASSWORD"), rootPoint: "/", clientVersion: 2, mountName: "archive",
                    mountPoint: "/media/lucidlink/archive", instanceId: 501),
            ],
            gateways: NodeGateways(
                ports: [7070, 7071], rootAccessKey: Secret(reference: "env:S3_KEY"), rootSecretKey: Secret(reference: "env:S3_SECRET"), dataRoot: "/media/lucidlink/studio",
                iamDir: "/media/lucidlink/archive/.vgw", virtualDomain: "s3.media.example.com", healthPath: "/health",
                environment: ["VGW_QUIET": "true", "GOMEMLIMIT": "6GiB", "NOTE": "50% \"quoted\" $HOME"])
        )
    }

    /// Two filespaces served as one bucket each: the data root holds the mounts, no IAM directory.
    static func filespaceBuckets() -> NodeConfig {
        var node = twoFilespaces()
        node.gateways.dataRoot = NodeConfig.filespaceMountRoot
        node.gateways.iamDir = ""
        return node
    }
}
