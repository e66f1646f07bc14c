import Foundation
import GatewayCore
import GatewayProvision
import Testing

/// Structural checks of the rendered Terraform and Packer files, read back with python-hcl2: the
/// security defaults hold whatever the config.
@Suite("Security defaults of the rendered bundle")
struct SecurityDefaultsTests {
    /// The parsed HCL of a bundle: path → python-hcl2 dictionary.
    struct Parsed {
        let files: [String: Any]
        let values: [String: Any]

        func blocks(_ kind: String, _ type: String) -> [(name: String, body: [String: Any])] {
            var result: [(String, [String: Any])] = []
            for (_, file) in files.sorted(by: { $0.key < $1.key }) {
                guard let file = file as? [String: Any], let list = file[kind] as? [[String: Any]] else { continue }
                for entry in list {
                    guard let byName = entry[type] as? [String: Any] else { continue }
                    for (name, body) in byName { if let body = body as? [String: Any] { result.append((name, body)) } }
                }
            }
            return result
        }

        func resources(_ type: String) -> [(name: String, body: [String: Any])] { blocks("resource", type) }

        /// Resolves `${var.x}` through terraform.tfvars.json.
        func value(_ expression: Any?) -> Any? {
            if let text = expression as? String, text.hasPrefix("${var."), text.hasSuffix("}") {
                return values[String(text.dropFirst(6).dropLast())]
            }
            return expression
        }
    }

    static func parse(_ directory: String) throws -> Parsed {
        let run = try TestSupport.check("hcl-to-json.py", [directory + "/terraform", directory + "/packer"])
        #expect(run.status == 0, "python-hcl2 could not parse the bundle:\n\(run.stderr)")
        let files = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
        let values = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: directory + "/terraform/terraform.tfvars.json"))) as? [String: Any] ?? [:]
        return Parsed(files: files, values: values)
    }

    static func nested(_ body: [String: Any], _ key: String) -> [[String: Any]] {
        body[key] as? [[String: Any]] ?? []
    }

    static let configs: [(String, @Sendable () throws -> GatewayConfig)] = [
        ("example", { try TestSupport.exampleConfig() }),
        ("maximal", { try TestSupport.maximalConfig() }),
        ("variants", { try RenderVariants.all()[2].config }),
    ]

    @Test("IMDSv2, encryption, SSH, TLS, invalid headers, log retention and IAM hold", arguments: [0, 1, 2])
    func securityDefaults(configIndex: Int) throws {
        let (name, make) = Self.configs[configIndex]
        let config = try make()
        let (_, directory) = try TestSupport.writtenBundle(config, prefix: "security-\(name)")
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let parsed = try Self.parse(directory)

        // IMDSv2 with one hop, encrypted root volume: launch template and image build.
        let templates = parsed.resources("aws_launch_template")
        #expect(templates.count == 1)
        for template in templates {
            let metadata = Self.nested(template.body, "metadata_options").first ?? [:]
            #expect(metadata["http_tokens"] as? String == "required", "\(name): IMDSv2 must be required")
            #expect(metadata["http_put_response_hop_limit"] as? Int == 1)
            let roots = Self.nested(template.body, "block_device_mappings").flatMap { Self.nested($0, "ebs") }
            #expect(!roots.isEmpty && roots.allSatisfy { $0["encrypted"] as? Bool == true }, "\(name): every EBS volume must be encrypted")
            #expect(template.body["user_data"] as? String == "${filebase64(\"${path.module}/../node/user-data.sh\")}")
            if config.compute.sshKeyName.isEmpty { #expect(template.body["key_name"] == nil) }
        }
        let sources = parsed.blocks("source", "amazon-ebs")
        #expect(sources.count == 1)
        for source in sources {
            #expect(source.body["encrypt_boot"] as? Bool == true)
            #expect(Self.nested(source.body, "metadata_options").first?["http_tokens"] as? String == "required")
            #expect(Self.nested(source.body, "launch_block_device_mappings").allSatisfy { $0["encrypted"] as? Bool == true })
        }

        // No ingress on port 22 from anywhere; SSH only when a key is configured.
        var sshRules = 0
        for rule in parsed.resources("aws_vpc_security_group_ingress_rule") {
            let from = parsed.value(rule.body["from_port"]) as? Int ?? 0
            let to = parsed.value(rule.body["to_port"]) as? Int ?? 65535
            guard from <= 22 && 22 <= to else { continue }
            sshRules += 1
            var sources: [String] = []
            if let cidr = rule.body["cidr_ipv4"] as? String {
                if cidr == "${each.value}", let forEach = rule.body["for_each"] as? String, forEach.hasPrefix("${toset(var."),
                    let list = parsed.values[String(forEach.dropFirst(12).dropLast(2))] as? [String]
                {
                    sources = list
                } else {
                    sources = [cidr]
                }
            }
            #expect(!sources.isEmpty && !sources.contains("0.0.0.0/0"), "\(name): SSH rule \(rule.name) admits \(sources)")
        }
        #expect(sshRules == (config.compute.sshKeyName.isEmpty ? 0 : 1))
        for group in parsed.resources("aws_security_group") {
            for rule in Self.nested(group.body, "ingress") {
                let from = rule["from_port"] as? Int ?? 0
                let to = rule["to_port"] as? Int ?? 65535
                #expect(!(from <= 22 && 22 <= to), "\(name): inline ingress of \(group.name) covers port 22")
            }
        }
        let egress = parsed.resources("aws_vpc_security_group_egress_rule")
        #expect(egress.allSatisfy { $0.body["ip_protocol"] as? String != "-1" }, "\(name): no egress rule may allow every protocol")

        // TLS 1.2+ on 443 with the validated certificate; plain HTTP only redirects.
        let listeners = parsed.resources("aws_lb_listener")
        let tls = listeners.filter { ($0.body["port"] as? Int) == 443 }
        #expect(tls.count == 1)
        for listener in tls {
            let policy = parsed.value(listener.body["ssl_policy"]) as? String ?? ""
            #expect(policy.hasPrefix("ELBSecurityPolicy-TLS13-") || policy.hasPrefix("ELBSecurityPolicy-TLS-1-2-") || policy.hasPrefix("ELBSecurityPolicy-FS-1-2-"), "\(name): TLS policy \(policy)")
            #expect(["HTTPS", "TLS"].contains(listener.body["protocol"] as? String ?? ""))
            let certificate = listener.body["certificate_arn"] as? String
            #expect(certificate == "${aws_acm_certificate_validation.s3.certificate_arn}" || certificate == "${var.certificate_arn}")
        }
        for listener in listeners where (listener.body["port"] as? Int) != 443 {
            #expect(Self.nested(listener.body, "default_action").allSatisfy { $0["type"] as? String == "redirect" }, "\(name): a plain listener may only redirect")
        }
        for lb in parsed.resources("aws_lb") where lb.body["load_balancer_type"] as? String == "application" {
            #expect(lb.body["drop_invalid_header_fields"] as? Bool == true)
        }

        // Log retention everywhere, no `*` action on `*` (a Deny may name every action: the log
        // bucket's TLS-only statement).
        let logGroups = parsed.resources("aws_cloudwatch_log_group")
        #expect(!logGroups.isEmpty && logGroups.allSatisfy { parsed.value($0.body["retention_in_days"]) as? Int == config.monitoring.logRetentionDays && $0.body["kms_key_id"] != nil })
        for document in parsed.blocks("data", "aws_iam_policy_document") {
            for statement in Self.nested(document.body, "statement") where statement["effect"] as? String != "Deny" {
                let actions = statement["actions"] as? [String] ?? []
                let resources = statement["resources"] as? [String] ?? []
                #expect(!actions.contains { $0 == "*" || $0.hasSuffix(":*") }, "\(name): \(document.name) grants a wildcard action")
                if resources.contains("*") {
                    #expect(actions.allSatisfy { ["cloudwatch:PutMetricData", "ec2:DescribeTags", "ec2:DescribeVolumes"].contains($0) }, "\(name): \(document.name) grants \(actions) on *")
                }
            }
        }
        let ssmStatement = parsed.blocks("data", "aws_iam_policy_document").first { $0.name == "node" }.flatMap { Self.nested($0.body, "statement").first }
        #expect((ssmStatement?["resources"] as? [String])?.allSatisfy { $0.contains("parameter${local.parameter_path}") } == true, "\(name): instances may read only the deployment's parameters")
    }

    @Test("no secret value appears in any rendered file", arguments: [0, 1])
    func noSecrets(configIndex: Int) throws {
        var config = try Self.configs[configIndex].1()
        let values = [
            "Lucid-Password-4f9c2a7e-\u{00E9}", "Second-Lucid-Secret-77aa", "Third-Lucid-Secret-9b1d",
            "AKIAROOTACCESSKEY0001", "root/Secret+Key=0123456789abcdefXYZ",
            "AKIAAWSACCESSKEY1234", "aws+Secret/Access=Key9876543210abcdef",
        ]
        for index in config.filespaces.indices {
            config.filespaces[index].password = Secret(source: .literal(values[min(index, 2)]))
        }
        config.gateway.rootAccessKey = Secret(source: .literal(values[3]))
        config.gateway.rootSecretKey = Secret(source: .literal(values[4]))
        config.aws.accessKeyId = Secret(source: .literal(values[5]))
        config.aws.secretAccessKey = Secret(source: .literal(values[6]))
        let bundle = try BundleRenderer.render(config)
        var needles: [String] = []
        for value in values {
            needles.append(value)
            needles.append(Data(value.utf8).base64EncodedString())
            needles.append(HCLEscaping.quoted(value))
            needles.append(JSONValue.quoted(value))
        }
        for file in bundle.files {
            for needle in needles {
                #expect(!file.contents.contains(needle), "\(file.path) contains a secret value")
            }
        }
        let node = try #require(bundle.file("node/node.json"))
        #expect(node.contents.contains("ssm:\(config.names.parameterPath)/filespaces/0/password"))
        #expect(node.contents.contains("ssm:\(config.names.parameterPath)/gateway/rootSecretKey"))
        #expect(!node.contents.contains(Secret.redactedMarker), "node.json must carry SSM references, not redacted literals")
    }
}
