import Foundation
import Testing

@testable import GatewayCore

/// The validator's rules, one invalid config per row, each asserting the exact path and message.
struct ConfigValidationTests {
    static func valid() throws -> GatewayConfig {
        try ConfigLoader.load(text: TestSupport.validYAML).config
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let path: String
        let message: String
        let mutate: @Sendable (inout GatewayConfig) -> Void
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "project name pattern", path: "project.name", message: "\"S3_Gateway\" must match ^[a-z][a-z0-9-]*$ without a trailing or doubled hyphen") { $0.project.name = "S3_Gateway" },
        Case(
            name: "project name too long", path: "project.name",
            message: "\"a-very-long-project-name-x-prod\" (name-environment) is 31 characters; load balancer and target group names built from it would exceed AWS's 32-character limit"
        ) { $0.project.name = "a-very-long-project-name-x" },
        Case(name: "unknown region", path: "project.region", message: "\"us-east-9\" is not an AWS region") { $0.project.region = "us-east-9" },
        Case(name: "vpc not a cidr", path: "network.vpcCidr", message: "\"10.10.0.0/33\" is not an IPv4 CIDR") { $0.network.vpcCidr = "10.10.0.0/33" },
        Case(name: "vpc too large", path: "network.vpcCidr", message: "a VPC must be between /16 and /24 (AWS limits), not /8") { $0.network.vpcCidr = "10.0.0.0/8" },
        Case(name: "vpc host bits", path: "network.vpcCidr", message: "10.10.0.1/16 has host bits set") { $0.network.vpcCidr = "10.10.0.1/16" },
        Case(name: "alb needs /27 public subnets", path: "network.vpcCidr", message: "public subnet 10.10.10.192/28 is smaller than the /27 an ALB needs") { $0.network.vpcCidr = "10.10.10.0/24" },
        Case(name: "subnet outside vpc", path: "network.privateSubnets[2]", message: "10.20.0.0/18 is not inside the VPC 10.10.0.0/16") {
            $0.network.privateSubnets = ["10.10.0.0/18", "10.10.64.0/18", "10.20.0.0/18"]
        },
        Case(name: "overlapping subnets", path: "network.privateSubnets[1]", message: "10.10.0.0/18 overlaps network.privateSubnets[0] (10.10.0.0/18)") {
            $0.network.privateSubnets = ["10.10.0.0/18", "10.10.0.0/18", "10.10.128.0/18"]
        },
        Case(name: "one zone", path: "network.availabilityZones", message: "must list 2 or 3 zones, not 1") { $0.network.availabilityZones = ["us-east-1a"] },
        Case(name: "zone of another region", path: "network.availabilityZones[2]", message: "\"eu-west-1c\" is not a zone of us-east-1") {
            $0.network.availabilityZones = ["us-east-1a", "us-east-1b", "eu-west-1c"]
        },
        Case(name: "no instance storage", path: "compute.instanceTypes[0]", message: "c5.xlarge has no NVMe instance storage, which holds the LucidLink cache") {
            $0.compute.instanceTypes = ["c5.xlarge"]
        },
        Case(name: "mixed architectures", path: "compute.instanceTypes", message: "mixes x86_64 and arm64 (Graviton) types, but one AMI serves them all") {
            $0.compute.instanceTypes = ["c6id.large", "c6gd.large"]
        },
        Case(name: "max below min", path: "compute.maxSize", message: "must be at least 4 (1 and compute.minSize), not 3") {
            $0.compute.minSize = 4
            $0.compute.desiredCapacity = 4
        },
        Case(name: "desired outside bounds", path: "compute.desiredCapacity", message: "5 is outside minSize..maxSize (1..3)") { $0.compute.desiredCapacity = 5 },
        Case(name: "negative min", path: "compute.minSize", message: "must be 0 or more, not -1") { $0.compute.minSize = -1 },
        Case(name: "bad ami", path: "compute.amiId", message: "\"ami-XYZ\" is not an AMI id") { $0.compute.amiId = "ami-XYZ" },
        Case(name: "ssh from anywhere", path: "compute.sshCidrs[0]", message: "SSH from anywhere (0.0.0.0/0) is not allowed") {
            $0.compute.sshKeyName = "ops"
            $0.compute.sshCidrs = ["0.0.0.0/0"]
        },
        Case(name: "legacy tls policy", path: "loadBalancer.tlsPolicy", message: "ELBSecurityPolicy-2016-08 allows TLS 1.0/1.1") { $0.loadBalancer.tlsPolicy = "ELBSecurityPolicy-2016-08" },
        Case(name: "nlb interval", path: "loadBalancer.healthCheckIntervalSeconds", message: "an NLB health check interval must be 10 or 30 seconds, not 15") {
            $0.loadBalancer.type = .nlb
            $0.loadBalancer.healthCheckIntervalSeconds = 15
        },
        Case(name: "zone required", path: "dns.zoneName", message: "is required") { $0.dns.zoneName = "" },
        Case(name: "zone placeholder", path: "dns.zoneName", message: "is still the template placeholder \"<YOUR_BASE_DOMAIN>\"") { $0.dns.zoneName = "<YOUR_BASE_DOMAIN>" },
        Case(name: "zone not dns", path: "dns.zoneName", message: "\"exa mple.com\" is not a DNS name") { $0.dns.zoneName = "exa mple.com" },
        Case(name: "existing cert needs arn", path: "dns.certificateArn", message: "is required when dns.certificate is \"existing\"") { $0.dns.certificate = .existing },
        Case(name: "dns validation needs records", path: "dns.createRecords", message: "a certificate validated by DNS needs the validation records, but createRecords is false") {
            $0.dns.createRecords = false
        },
        Case(name: "virtual domain mismatch", path: "gateway.virtualDomain", message: "\"s3.other.com\" differs from the S3 host s3.example.com that DNS and the certificate serve") {
            $0.gateway.virtualDomain = "s3.other.com"
        },
        Case(name: "client version", path: "filespaces[0].clientVersion", message: "must be 2 or 3, not 4") { $0.filespaces[0].clientVersion = 4 },
        Case(name: "filespace name required", path: "filespaces[0].name", message: "is required") { $0.filespaces[0].name = "" },
        Case(name: "filespace placeholder", path: "filespaces[0].name", message: "is still the template placeholder \"<YOUR_FILESPACE_NAME>\"") { $0.filespaces[0].name = "<YOUR_FILESPACE_NAME>" },
        Case(name: "user email", path: "filespaces[0].user", message: "\"ops@@example.com\" is not a valid e-mail address") { $0.filespaces[0].user = "ops@@example.com" },
        Case(name: "password missing", path: "filespaces[0].password", message: "is required") { $0.filespaces[0].password = .unset },
        Case(name: "password placeholder", path: "filespaces[0].password", message: "is still the template placeholder \"<YOUR_LUCIDLINK_PASSWORD>\"") {
            $0.filespaces[0].password = Secret(reference: "<YOUR_LUCIDLINK_PASSWORD>")
        },
        Case(name: "duplicate filespace", path: "filespaces[1].name", message: "repeats filespaces[0].name") { $0.filespaces.append($0.filespaces[0]) },
        Case(name: "duplicate mount name", path: "filespaces[1].mountName", message: "mount name \"media\" is already used by filespaces[0]") {
            $0.filespaces[0].mountName = "media"
            var second = $0.filespaces[0]
            second.name = "other.dmpfs"
            $0.filespaces.append(second)
        },
        Case(name: "root point relative", path: "filespaces[0].rootPoint", message: "\"projects\" must be an absolute path inside the filespace") { $0.filespaces[0].rootPoint = "projects" },
        Case(name: "s3 key placeholder", path: "gateway.rootAccessKey", message: "is still the template placeholder \"<YOUR_S3_ACCESS_KEY>\"") {
            $0.gateway.rootAccessKey = Secret(reference: "<YOUR_S3_ACCESS_KEY>")
        },
        Case(name: "s3 secret too short", path: "gateway.rootSecretKey", message: "an S3 secret key must be 8-128 characters without spaces") { $0.gateway.rootSecretKey = Secret(reference: "short") },
        Case(name: "bad env reference", path: "gateway.rootSecretKey", message: "env:1BAD is not a valid environment variable name") { $0.gateway.rootSecretKey = Secret(reference: "env:1BAD") },
        Case(name: "iam dir off the filespace", path: "gateway.iamDir", message: "the IAM directory /srv/vgw is not on a filespace mount (/media/lucidlink/mycompany)") {
            $0.gateway.iamDir = "/srv/vgw"
        },
        Case(name: "managed gateway env", path: "gateway.environment.VGW_PORT", message: "VGW_PORT is set by the toolkit from the config") { $0.gateway.environment["VGW_PORT"] = ":9000" },
        Case(name: "proxy port collides with gateway", path: "proxy.listenPort", message: "port 7071 is already used by gateway port 2 (7071)") { $0.proxy.listenPort = 7071 },
        Case(name: "metrics port collides with proxy", path: "proxy.metricsPort", message: "port 8000 is already used by proxy.listenPort") { $0.proxy.metricsPort = 8000 },
        Case(name: "health path could be a bucket", path: "proxy.healthPath", message: "\"/health\" could be a bucket name, so a bucket could shadow the health check") {
            $0.proxy.healthPath = "/health"
        },
        Case(name: "proxy fall range", path: "proxy.fall", message: "must be between 1 and 20, not 0") { $0.proxy.fall = 0 },
        Case(name: "cache bounds", path: "storage.cacheMinGiB", message: "700 GiB is more than storage.cacheMaxGiB (600 GiB)") { $0.storage.cacheMinGiB = 700 },
        Case(name: "cache share", path: "storage.cacheSharePercent", message: "must be between 1 and 95 percent, not 100") { $0.storage.cacheSharePercent = 100 },
        Case(name: "cache over system dir", path: "storage.cacheMountPoint", message: "mounting the cache over /var would hide system files") { $0.storage.cacheMountPoint = "/var" },
        Case(name: "log retention", path: "monitoring.logRetentionDays", message: "CloudWatch does not accept 10 days") { $0.monitoring.logRetentionDays = 10 },
        Case(name: "s3 state needs bucket", path: "state.bucket", message: "is required with S3 state") { $0.state.kind = .s3 },
        Case(name: "checkpoints in range", path: "rollout.checkpoints", message: "0,100 has 0, outside 1 to 100") { $0.rollout.checkpoints = [0, 100] },
        Case(name: "checkpoints distinct", path: "rollout.checkpoints", message: "33,33,100 lists a percentage twice") { $0.rollout.checkpoints = [33, 33, 100] },
        Case(name: "aws keys in pairs", path: "aws.secretAccessKey", message: "is required when the other AWS key is given") { $0.aws.accessKeyId = Secret(reference: "env:AWS_ACCESS_KEY_ID") },
    ]

    @Test(arguments: cases)
    func reportsProblem(_ testCase: Case) throws {
        var config = try Self.valid()
        testCase.mutate(&config)
        let problems = ConfigValidator().validate(config).filter { $0.severity == .error }
        #expect(problems.contains { $0.path == testCase.path && $0.message == testCase.message }, "got: \(problems.map(\.description))")
        #expect(problems.allSatisfy { !$0.hint.isEmpty })
    }

    @Test func validConfigHasNoErrors() throws {
        let problems = ConfigValidator().validate(try Self.valid())
        #expect(!ConfigValidator.hasErrors(problems), "\(problems)")
    }

    @Test func exampleFileIsValid() throws {
        let loaded = try ConfigLoader.load(file: TestSupport.exampleConfigPath)
        let problems = loaded.validate()
        #expect(!ConfigValidator.hasErrors(problems), "\(problems)")
        #expect(loaded.config.compute.instanceTypes == ["c6id.4xlarge", "m6id.4xlarge"])
    }

    @Test func defaultsReproduceTheReference() {
        let config = GatewayConfig()
        #expect(config.project.region == "us-east-1")
        #expect(config.compute.instanceTypes == ["c6id.4xlarge"])
        #expect((config.compute.minSize, config.compute.desiredCapacity, config.compute.maxSize) == (1, 1, 3))
        #expect(config.compute.healthCheckGracePeriodSeconds == 1200)
        #expect(config.compute.rootVolumeGiB == 40)
        #expect(config.gateway.ports == [7070, 7071, 7072])
        #expect(config.proxy.listenPort == 8000)
        #expect(config.storage.mountOptions == "defaults,noatime,largeio,swalloc")
        #expect((config.storage.cacheSharePercent, config.storage.cacheMinGiB, config.storage.cacheMaxGiB) == (80, 10, 600))
        #expect(config.filespaces.first?.clientVersion == 3)
        #expect(config.filespaces.first?.rootPoint == "/")
    }

    @Test func reportsAllProblemsAtOnce() {
        var config = GatewayConfig()
        config.project.region = "mars-1"
        config.compute.instanceTypes = ["t3.micro"]
        let paths = Set(ConfigValidator().validate(config).map(\.path))
        for expected in ["project.region", "compute.instanceTypes[0]", "dns.zoneName", "filespaces[0].name", "filespaces[0].password", "gateway.rootAccessKey"] {
            #expect(paths.contains(expected), "missing \(expected) in \(paths)")
        }
    }

    @Test func environmentSecretsAreCheckedWhenAnEnvironmentIsGiven() throws {
        let config = try Self.valid()
        let without = ConfigValidator(environment: [:]).validate(config)
        #expect(without.contains { $0.path == "filespaces[0].password" && $0.severity == .warning && $0.message.contains("LL_PASSWORD is not set") })
        let with = ConfigValidator(environment: ["LL_PASSWORD": "x", "S3_KEY": "key", "S3_SECRET": "secret-value"]).validate(config)
        #expect(!with.contains { $0.path == "filespaces[0].password" })
    }

    @Test func nodeConfigIsDerived() throws {
        var config = try Self.valid()
        config.filespaces.append(FilespaceSettings(name: "legacy.dmpfs", user: "a@example.com", password: Secret(reference: "env:P2"), clientVersion: 2))
        let node = NodeConfig(deployment: config)
        #expect(node.deployment == "s3-gateway-prod")
        #expect(node.filespaces.map(\.instanceId) == [2001, 501])
        #expect(node.filespaces.map(\.mountPoint) == ["/media/lucidlink/mycompany", "/media/lucidlink/legacy"])
        #expect(node.filespaces[1].clientBinary == "/usr/bin/lucid2")
        #expect(node.filespaces[0].password == Secret(source: .ssmParameter("/gateway/s3-gateway-prod/filespaces/0/password")))
        #expect(node.gateways.ports == [7070, 7071, 7072])
        #expect(node.gateways.iamDir == "/media/lucidlink/mycompany/.vgw")
        #expect(node.gateways.virtualDomain == "s3.example.com")
        #expect(node.gateways.rootSecretKey == Secret(source: .ssmParameter("/gateway/s3-gateway-prod/gateway/rootSecretKey")))
    }
}
