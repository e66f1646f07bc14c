import Foundation
import GatewayCore
@testable import GatewayProvision
import Testing

@Suite("Node bundle")
struct NodeBundleTests {
    /// The files the boot script installs: path → content, read back from its heredocs.
    static func installedFiles(_ script: String) -> [String: String] {
        var files: [String: String] = [:]
        var current: String?
        var lines: [Substring] = []
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            if let path = current {
                if line == UserDataScript.delimiter {
                    files[path] = lines.joined(separator: "\n") + "\n"
                    current = nil
                    lines = []
                } else {
                    lines.append(line)
                }
            } else if line.hasPrefix("write_file "), line.hasSuffix("<<'\(UserDataScript.delimiter)'") {
                current = String(line.split(separator: " ")[2])
            }
        }
        return files
    }

    @Test("node.json is the NodeConfig derived from the deployment, with SSM secret references")
    func nodeJSON() throws {
        for config in [try TestSupport.exampleConfig(), try TestSupport.maximalConfig()] {
            let bundle = try BundleRenderer.render(config)
            let file = try #require(bundle.file("node/node.json"))
            let decoded = try JSONDecoder().decode(NodeConfig.self, from: Data(file.contents.utf8))
            #expect(decoded == NodeConfig(deployment: config))
            for filespace in decoded.filespaces {
                #expect(filespace.password.source == .ssmParameter(config.names.parameterPath + "/filespaces/\(decoded.filespaces.firstIndex(of: filespace)!)/password"))
            }
        }
    }

    @Test("the boot script installs exactly the rendered node config, units and agent config")
    func bootScript() throws {
        let config = try TestSupport.maximalConfig()
        let bundle = try BundleRenderer.render(config)
        let script = try #require(bundle.file("node/user-data.sh"))
        #expect(script.isExecutable)
        #expect(script.contents.hasPrefix("#!/bin/bash\n"))
        #expect(script.contents.utf8.count <= UserDataScript.maximumBytes)
        let installed = Self.installedFiles(script.contents)
        var expected: [String: String] = [NodeLayout.configPath: try #require(bundle.file("node/node.json")).contents]
        for unit in bundle.files where unit.path.hasPrefix("node/systemd/") {
            expected[NodeLayout.unitDirectory + "/" + (unit.path as NSString).lastPathComponent] = unit.contents
        }
        expected[NodeLayout.cloudWatchAgentConfigPath] = try #require(bundle.file("node/cloudwatch-agent.json")).contents
        #expect(installed == expected)
        #expect(script.contents.contains("systemctl enable \(NodeLayout.target)\n"))
        #expect(script.contents.hasSuffix("systemctl start --no-block \(NodeLayout.target)\n"))
    }

    @Test("one LucidLink unit per filespace, a gateway template per port, the proxy and the setup unit")
    func units() throws {
        let config = try TestSupport.maximalConfig()
        let node = NodeConfig(deployment: config)
        let bundle = try BundleRenderer.render(config)
        let units = bundle.files.filter { $0.path.hasPrefix("node/systemd/") }.map { ($0.path as NSString).lastPathComponent }
        #expect(units.sorted() == (["gateway-node-setup.service", "gateway-proxy.service", "gateway.target", "versitygw@.service"] + node.filespaces.map { "lucidlink-\($0.mountName).service" }).sorted())
        let setup = try #require(bundle.file("node/systemd/gateway-node-setup.service")).contents
        #expect(setup.contains("Type=oneshot\n"))
        #expect(setup.contains("ExecStart=/usr/local/bin/gw-cli node apply /etc/gateway/node.json\n"))
        let proxy = try #require(bundle.file("node/systemd/gateway-proxy.service")).contents
        #expect(proxy.contains("ExecStart=/usr/local/bin/gw-cli proxy --node-config /etc/gateway/node.json\n"))
        #expect(proxy.contains("Wants=" + node.gateways.ports.map { "versitygw@\($0).service" }.joined(separator: " ") + "\n"))
        let gateway = try #require(bundle.file("node/systemd/versitygw@.service")).contents
        let lucid = node.filespaces.map { "lucidlink-\($0.mountName).service" }.joined(separator: " ")
        #expect(gateway.contains("Requires=\(lucid)\n"))
        #expect(gateway.contains("PartOf=gateway.target \(lucid)\n"))
        #expect(gateway.contains("ExecStartPre=/usr/local/lib/gateway/mount-ready 300 " + node.filespaces.map(\.mountPoint).joined(separator: " ") + "\n"))
        #expect(gateway.contains("Environment=\"GATEWAY_NOTE=100%% \\\"quoted\\\" ${HOME} %%{x} $PATH \\\\ end\"\n"))
        let archive = try #require(bundle.file("node/systemd/lucidlink-archive.service")).contents
        #expect(archive.contains("ExecStart=/usr/local/lib/gateway/lucidlink-daemon /usr/local/bin/lucid3 2002 archive.mediaco gateway@media.example.org /media/lucidlink/archive \"/cold storage/2024\" /cache/lucidlink/archive\n"))
        #expect(archive.contains("ExecStartPost=/usr/local/lib/gateway/mount-ready 300 /media/lucidlink/archive\n"))
        #expect(archive.contains("LoadCredentialEncrypted=lucidlink-password:/var/lib/gateway/credentials/lucidlink-archive.cred\n"))
        let legacy = try #require(bundle.file("node/systemd/lucidlink-legacy.service")).contents
        #expect(legacy.contains("ExecStop=/usr/bin/lucid2 --instance 501 exit\n"))
    }

    @Test("systemd values are escaped: specifiers, variables, quotes")
    func systemdEscaping() {
        #expect(SystemdEscaping.argument("plain/path") == "plain/path")
        #expect(SystemdEscaping.argument("with space") == "\"with space\"")
        #expect(SystemdEscaping.argument("50%") == "50%%")
        #expect(SystemdEscaping.argument("$HOME") == "$$HOME")
        #expect(SystemdEscaping.argument("say \"hi\"") == "\"say \\\"hi\\\"\"")
        #expect(SystemdEscaping.argument(";") == "\";\"")
        #expect(SystemdEscaping.argument("") == "\"\"")
        #expect(SystemdEscaping.environment("A", "x=\"y\" 5%") == "\"A=x=\\\"y\\\" 5%%\"")
        #expect(ShellQuoting.quote("/etc/gateway/node.json") == "/etc/gateway/node.json")
        #expect(ShellQuoting.quote("it's") == "'it'\\''s'")
    }

    @Test("a boot script over EC2's 16 KiB user data limit is an error, not a truncated script")
    func userDataLimit() throws {
        var config = try TestSupport.exampleConfig()
        for index in 0..<60 {
            config.gateway.environment["EXTRA_SETTING_\(index)"] = String(repeating: "v", count: 200)
        }
        #expect(ConfigValidator().validate(config).filter { $0.severity == .error }.isEmpty)
        do {
            _ = try BundleRenderer.render(config)
            Issue.record("rendering should fail")
        } catch {
            #expect(error.message.contains("user data"))
        }
    }

    @Test("an invalid config is not rendered")
    func invalidConfig() throws {
        var config = try TestSupport.exampleConfig()
        config.filespaces = []
        config.loadBalancer.tlsPolicy = "ELBSecurityPolicy-2016-08"
        do {
            _ = try BundleRenderer.render(config)
            Issue.record("rendering should fail")
        } catch {
            #expect(error.path == "loadBalancer.tlsPolicy" || error.path == "filespaces")
            #expect(error.message.contains("more problem"))
        }
    }
}

@Suite("Render summary")
struct RenderSummaryTests {
    @Test("the summary counts resource instances by type")
    func summary() throws {
        let example = try BundleRenderer.render(try TestSupport.exampleConfig()).summary
        #expect(example.deployment == "s3-gateway-prod")
        #expect(example.resourcesByType["aws_subnet"] == 6)
        #expect(example.resourcesByType["aws_nat_gateway"] == 1)
        #expect(example.resourcesByType["aws_vpc_endpoint"] == 6)
        #expect(example.resourcesByType["aws_lb_listener"] == 2)
        #expect(example.resourcesByType["aws_route53_record"] == 4)
        #expect(example.resourcesByType["aws_cloudwatch_dashboard"] == 1)
        #expect(example.files.contains("terraform/terraform.tfvars.json"))
        #expect(!example.files.contains("terraform/backend.tf"))

        let maximal = try BundleRenderer.render(try TestSupport.maximalConfig()).summary
        #expect(maximal.resourcesByType["aws_nat_gateway"] == 3)
        #expect(maximal.resourcesByType["aws_eip"] == 3)
        #expect(maximal.resourcesByType["aws_lb_listener"] == 1)
        #expect(maximal.resourcesByType["aws_vpc_security_group_ingress_rule"] == 4)
        #expect(maximal.files.contains("terraform/backend.tf"))
        #expect(maximal.resourceCount == maximal.resourcesByType.values.reduce(0, +))
    }
}
