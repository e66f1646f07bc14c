import Foundation
import GatewayCore
import Logging
import Testing

@testable import GatewayProvision

/// Zones come from the region, never from a naming pattern: every region of the list is validated and
/// rendered, and real Terraform evaluates the rendered zone choice (the `local.zones` expression and the
/// data source's postconditions, taken from the rendered `network.tf`) and the variables' validations
/// against each region's zones as moto's EC2 API reports them (moto models the zones new accounts get:
/// ap-northeast-1 a, c and d; ca-central-1 a, b and d; us-west-1 two).
@Suite("Zones from the region, for every region of the list")
struct ZonesFromRegionTests {
    static func config(region: String, network: String = "") throws -> GatewayConfig {
        let text = """
            project: {name: zones, environment: test, region: \(region)}
            compute: {amiId: ami-0123456789abcdef0}
            dns: {zoneName: example.com}
            filespaces:
              - {name: fs.dmpfs, user: gateway@example.com, password: "env:LL_PASSWORD"}
            gateway: {rootAccessKey: "env:S3_KEY", rootSecretKey: "env:S3_SECRET"}
            \(network)
            """
        return try ConfigLoader.load(text: text).config
    }

    /// The zones of `region` as moto's DescribeAvailabilityZones answers a signed call in that region.
    static func motoZones(_ moto: MotoAWS, region: String) async throws -> [String] {
        let configuration = AWSConfiguration(
            region: region,
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyID: moto.accessKey, secretAccessKey: moto.secretKey, source: "test")),
            environment: AWSEnvironment(variables: ["AWS_ENDPOINT_URL": moto.server.url, "HOME": "/nonexistent-gateway-test-home"]),
            http: MotoAWS.patientHTTP, retry: AWSRetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10)),
            logger: Logger(label: "gateway.zones.test"))
        let zones = try await EC2Client(configuration: configuration).describeAvailabilityZones(filters: [.init("state", ["available"])])
        return zones.filter { $0.zoneType == nil || $0.zoneType == "availability-zone" }.map(\.name)
    }

    /// The value of `name = ...` in a rendered, formatted HCL file (the first after `after`), with
    /// the lines of a wrapped value joined.
    static func attribute(_ name: String, in text: String, after marker: String = "") throws -> String {
        let start = marker.isEmpty ? text.startIndex : try #require(text.range(of: marker)).upperBound
        var value: String?
        for line in text[start...].split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if value == nil {
                guard trimmed.hasPrefix(name + " ") || trimmed.hasPrefix(name + "=") else { continue }
                value = String(trimmed.drop { $0 != "=" }.dropFirst()).trimmingCharacters(in: .whitespaces)
            } else {
                value! += " " + trimmed
            }
            let open = value!.filter { "([{".contains($0) }.count
            let close = value!.filter { ")]}".contains($0) }.count
            if open == close { return value! }
        }
        Issue.record("no \(name) in the rendered file after \(marker)")
        return value ?? ""
    }

    /// A module that evaluates the rendered zone choice with real Terraform: the rendered
    /// `variables.tf`, the values of `terraform.tfvars.json`, and `zones.tf` holding the rendered
    /// `local.zones` expression and postconditions with the data source's names given as a variable.
    static func writeZoneModule(_ bundle: RenderedBundle, zones availableNames: [String], into directory: String) throws {
        let network = try #require(bundle.file("terraform/network.tf")).contents
        let names = "data.aws_availability_zones.available.names"
        let available = try attribute("available_zones", in: network, after: "locals {")
        let selection = try attribute("zones", in: network, after: "locals {")
        #expect(available.contains(names) && selection.contains("local.available_zones"), "the zones are not chosen from the data source: \(available); \(selection)")
        var checks: [(condition: String, message: String)] = []
        var rest = network[...]
        while let range = rest.range(of: "postcondition {") {
            let block = String(rest[range.upperBound...])
            checks.append(
                (
                    try attribute("condition", in: block).replacingOccurrences(of: "self.names", with: "var.available_zone_names"),
                    try attribute("error_message", in: block).replacingOccurrences(of: "self.names", with: "var.available_zone_names")
                ))
            rest = rest[range.upperBound...]
        }
        #expect(checks.count == 2, "the data source has \(checks.count) postconditions")
        let preconditions = checks.map { "    precondition {\n      condition     = \($0.condition)\n      error_message = \($0.message)\n    }\n" }.joined()
        let module = """
            variable "available_zone_names" {
              type = list(string)
            }

            locals {
              available_zones = \(available.replacingOccurrences(of: names, with: "var.available_zone_names"))
              zones           = \(selection)
            }

            output "zones" {
              value = local.zones

            \(preconditions)}

            """
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try module.write(toFile: directory + "/zones.tf", atomically: true, encoding: .utf8)
        try #require(bundle.file("terraform/variables.tf")).contents.write(toFile: directory + "/variables.tf", atomically: true, encoding: .utf8)
        var values = try Self.values(bundle)
        values["available_zone_names"] = availableNames
        try JSONSerialization.data(withJSONObject: values, options: [.sortedKeys]).write(to: URL(fileURLWithPath: directory + "/terraform.tfvars.json"))
    }

    /// The rendered `terraform.tfvars.json`.
    static func values(_ bundle: RenderedBundle) throws -> [String: Any] {
        let file = try #require(bundle.file("terraform/terraform.tfvars.json"))
        return try #require(try JSONSerialization.jsonObject(with: Data(file.contents.utf8)) as? [String: Any])
    }

    /// `terraform apply` of the zone module, then its `zones` output.
    static func evaluate(_ directory: String) throws -> (run: TestSupport.Run, zones: [String]?) {
        let terraform = TestSupport.path("scripts/checks/terraform.py")
        let python = try TestSupport.python()
        let run = try TestSupport.run(python, [terraform, "-chdir=\(directory)", "apply", "-auto-approve", "-input=false", "-no-color"])
        guard run.status == 0 else { return (run, nil) }
        let output = try TestSupport.run(python, [terraform, "-chdir=\(directory)", "output", "-json", "zones"])
        return (run, try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String])
    }

    @Test("every region validates and renders, and Terraform picks zones the region has (moto's zones)")
    func everyRegion() async throws {
        let moto = try await MotoAWS.start()
        defer { moto.server.stop() }
        let root = try TestSupport.temporaryDirectory(prefix: "zones")
        defer { try? FileManager.default.removeItem(atPath: root) }
        var checked = 0
        for region in AWSRegions.all {
            let config = try Self.config(region: region)
            let errors = ConfigValidator().validate(config).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(region): \(errors)")
            let bundle = try BundleRenderer.render(config)
            let count = AWSRegions.usualZoneCount(of: region)
            let values = try Self.values(bundle)
            #expect(values["zone_count"] as? Int == count && (values["availability_zones"] as? [String]) == [], "\(region): \(values)")
            #expect((values["private_subnet_cidrs"] as? [String])?.count == count && (values["public_subnet_cidrs"] as? [String])?.count == count, "\(region)")
            let available = try await Self.motoZones(moto, region: region)
            #expect(available.count >= count, "\(region): moto reports \(available)")
            let directory = root + "/" + region
            try Self.writeZoneModule(bundle, zones: available, into: directory)
            let (run, zones) = try Self.evaluate(directory)
            #expect(run.status == 0, "\(region): \(run.output)")
            #expect(zones == Array(available.sorted().prefix(count)), "\(region): \(zones ?? []) from \(available)")
            checked += 1
        }
        #expect(checked == AWSRegions.all.count)
        print("zones: \(checked) regions validated, rendered and their zone choice evaluated by terraform")

        // The regions the old pattern got wrong.
        func chosen(_ region: String) throws -> [String]? {
            try Self.evaluate(root + "/" + region).zones
        }
        #expect(try chosen("ap-northeast-1") == ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"])
        #expect(try chosen("ca-central-1") == ["ca-central-1a", "ca-central-1b", "ca-central-1d"])
        #expect(try chosen("us-west-1") == ["us-west-1a", "us-west-1b"])
    }

    @Test("named zones set the count and are checked against the region's zones at plan time")
    func namedZones() async throws {
        let root = try TestSupport.temporaryDirectory(prefix: "named-zones")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let tokyo = ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]

        let two = try Self.config(region: "ap-northeast-1", network: "network: {availabilityZones: [ap-northeast-1d, ap-northeast-1a]}")
        #expect(ConfigValidator().validate(two).filter { $0.severity == .error }.isEmpty)
        let rendered = try BundleRenderer.render(two)
        try Self.writeZoneModule(rendered, zones: tokyo, into: root + "/two")
        let (run, zones) = try Self.evaluate(root + "/two")
        #expect(run.status == 0 && zones == ["ap-northeast-1d", "ap-northeast-1a"], "\(run.output)")
        #expect(rendered.file("terraform/network.tf")?.contents.contains("count = var.zone_count") == true)

        // ap-northeast-1b has the shape of a zone, so validation passes; the plan refuses it, naming the
        // region's available zones.
        let missing = try Self.config(region: "ap-northeast-1", network: "network: {availabilityZones: [ap-northeast-1a, ap-northeast-1b, ap-northeast-1c]}")
        #expect(ConfigValidator().validate(missing).filter { $0.severity == .error }.isEmpty)
        try Self.writeZoneModule(try BundleRenderer.render(missing), zones: tokyo, into: root + "/missing")
        let refused = try Self.evaluate(root + "/missing")
        let words = ExternalCheckTests.words(refused.run.output)
        #expect(
            refused.run.status != 0
                && words.contains("network.availabilityZones names zones the region does not offer as available: the available zones are ap-northeast-1a, ap-northeast-1c, ap-northeast-1d."),
            "\(refused.run.output)")

        // Three zones where the account has two: the plan stops with the fix.
        let three = try Self.config(region: "us-west-1", network: "network: {zoneCount: 3}")
        let warnings = ConfigValidator().validate(three)
        #expect(warnings.contains { $0.path == "network.zoneCount" && $0.severity == .warning && $0.hint.contains("set network.zoneCount to 2") }, "\(warnings)")
        try Self.writeZoneModule(try BundleRenderer.render(three), zones: ["us-west-1a", "us-west-1b"], into: root + "/three")
        let short = try Self.evaluate(root + "/three")
        #expect(
            short.run.status != 0 && ExternalCheckTests.words(short.run.output).contains("The region offers 2 available zones; the deployment needs 3: set network.zoneCount to 2"),
            "\(short.run.output)")

        // The variables refuse a count that is neither 2 nor 3 and subnets that do not match it.
        try Self.writeZoneModule(rendered, zones: tokyo, into: root + "/bad-count")
        var values = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: root + "/bad-count/terraform.tfvars.json"))) as? [String: Any])
        values["zone_count"] = 4
        values["availability_zones"] = [String]()
        try JSONSerialization.data(withJSONObject: values).write(to: URL(fileURLWithPath: root + "/bad-count/terraform.tfvars.json"))
        let badCount = try Self.evaluate(root + "/bad-count")
        #expect(badCount.run.status != 0 && ExternalCheckTests.words(badCount.run.output).contains("zone_count must be 2 or 3."), "\(badCount.run.output)")
        values["zone_count"] = 3
        try JSONSerialization.data(withJSONObject: values).write(to: URL(fileURLWithPath: root + "/bad-count/terraform.tfvars.json"))
        let badSubnets = try Self.evaluate(root + "/bad-count")
        #expect(badSubnets.run.status != 0 && ExternalCheckTests.words(badSubnets.run.output).contains("Give one private subnet per zone (zone_count)."), "\(badSubnets.run.output)")
    }

    @Test(
        "bad zone settings are refused naming the field and the fix",
        arguments: [
            ("network: {zoneCount: 1}", "network.zoneCount", "must be 2 or 3, not 1"),
            ("network: {zoneCount: 4}", "network.zoneCount", "must be 2 or 3, not 4"),
            ("network: {availabilityZones: [eu-west-1a]}", "network.availabilityZones", "must list 2 or 3 zones, not 1"),
            ("network: {zoneCount: 3, availabilityZones: [eu-west-1a, eu-west-1b]}", "network.zoneCount", "is 3 but network.availabilityZones names 2 zones"),
            ("network: {availabilityZones: [eu-west-1a, us-east-1b]}", "network.availabilityZones[1]", "\"us-east-1b\" is not a zone of eu-west-1"),
            ("network: {availabilityZones: [eu-west-1a, eu-west-1a]}", "network.availabilityZones", "lists a zone twice"),
            ("network: {zoneCount: 2, privateSubnets: [10.10.0.0/18, 10.10.64.0/18, 10.10.128.0/18]}", "network.privateSubnets", "must list 2 subnets (one per zone), not 3"),
        ])
    func badZoneSettings(network: String, path: String, message: String) throws {
        let problems = ConfigValidator().validate(try Self.config(region: "eu-west-1", network: network))
        let problem = problems.first { $0.path == path && $0.severity == .error }
        #expect(problem?.message == message, "\(problems)")
        #expect(problem?.hint.isEmpty == false)
        #expect(problem.map { !($0.message + $0.hint).contains("gw-cli") } == true)
    }
}
