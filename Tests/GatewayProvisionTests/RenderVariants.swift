import Foundation
import GatewayCore
import Testing

/// Configs that together take every branch of the renderer: both load balancer types, every NAT mode,
/// created (DNS or e-mail) and existing certificates, records on and off, monitoring on and off, SSH,
/// spot, arm64, both state backends.
enum RenderVariants {
    struct Variant {
        let name: String
        let config: GatewayConfig
    }

    static func all() throws -> [Variant] {
        let example = try TestSupport.exampleConfig()

        var quiet = example
        quiet.loadBalancer.internal = true
        quiet.network.natGateways = .none
        quiet.network.endpoints = VPCEndpointSettings(s3: false, interfaces: [])
        quiet.dns.certificate = .existing
        quiet.dns.certificateArn = "arn:aws:acm:us-east-1:123456789012:certificate/0b3d5e7f-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
        quiet.dns.createRecords = false
        quiet.monitoring = MonitoringSettings(cloudWatch: false, alarms: false, dashboard: false, prometheus: false)
        quiet.proxy.accessLog = "-"

        var graviton = example
        graviton.loadBalancer.type = .nlb
        graviton.compute.instanceTypes = ["c7gd.2xlarge", "m7gd.2xlarge"]
        graviton.dns.validationMethod = .email
        graviton.monitoring.cloudWatch = false
        graviton.monitoring.dashboard = false
        graviton.state = StateBackendSettings(kind: .s3, bucket: "gateway-state-bucket")
        graviton.aws.profile = "deploy"
        graviton.filespaces[0].clientVersion = 2
        graviton.compute.sshKeyName = "ops"
        graviton.compute.sshCidrs = ["10.0.0.0/8", "192.168.0.0/16"]

        var spot = example
        spot.compute.instanceTypes = ["c6id.2xlarge", "c5d.2xlarge", "m6id.2xlarge"]
        spot.compute.onDemandBaseCapacity = 0
        spot.compute.onDemandPercentageAboveBase = 0
        spot.network.natGateways = .perZone
        spot.dns.validationMethod = .email
        spot.dns.createRecords = false
        spot.monitoring.alarmTopicArn = "arn:aws:sns:us-east-1:123456789012:alarms"
        spot.loadBalancer.httpRedirect = true
        spot.network.zoneCount = 2
        spot.filespaces.append(FilespaceSettings(name: "second.fs", user: "svc", password: Secret(reference: "env:SECOND"), rootPoint: "/data", clientVersion: 2))
        spot.gateway.buckets = .filespaces

        return [
            Variant(name: "example", config: example),
            Variant(name: "maximal", config: try TestSupport.maximalConfig()),
            Variant(name: "internal-quiet", config: quiet),
            Variant(name: "nlb-graviton", config: graviton),
            Variant(name: "spot-email", config: spot),
        ]
    }
}
