import Foundation
import GatewayCore
import Testing

@testable import GatewayProvision

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

    @Test("the boot script installs exactly node.json, the setup unit and the agent's files, then starts the setup")
    func bootScript() throws {
        let config = try TestSupport.maximalConfig()
        let bundle = try BundleRenderer.render(config)
        let script = try #require(bundle.file("node/user-data.sh"))
        #expect(script.isExecutable)
        #expect(script.contents.hasPrefix("#!/bin/bash\n"))
        #expect(script.contents.utf8.count <= UserDataScript.maximumBytes)
        let installed = Self.installedFiles(script.contents)
        let expected: [String: String] = [
            NodePaths.nodeConfig: try #require(bundle.file("node/node.json")).contents,
            NodePaths.unitDirectory + "/" + NodeUnitNames.nodeSetup: try #require(bundle.file("node/systemd/\(NodeUnitNames.nodeSetup)")).contents,
            CloudWatchAgentConfig.configPath: try #require(bundle.file("node/cloudwatch-agent.json")).contents,
            CloudWatchAgentConfig.prometheusConfigPath: try #require(bundle.file("node/cloudwatch-prometheus.yaml")).contents,
        ]
        #expect(installed == expected)
        #expect(script.contents.contains("systemctl enable \(NodeUnitNames.nodeSetup)\n"))
        #expect(script.contents.hasSuffix("systemctl start --no-block \(NodeUnitNames.nodeSetup)\n" + UserDataScript.agentStep))
    }

    @Test("the units are the node runtime's own, derived from node.json")
    func units() throws {
        for config in [try TestSupport.exampleConfig(), try TestSupport.maximalConfig()] {
            let node = NodeConfig(deployment: config)
            let bundle = try BundleRenderer.render(config)
            let rendered = bundle.files.filter { $0.path.hasPrefix("node/systemd/") }
            let expected = NodeUnits.all(for: node)
            #expect(rendered.map { ($0.path as NSString).lastPathComponent }.sorted() == expected.map(\.name).sorted())
            for unit in expected {
                #expect(bundle.file("node/systemd/\(unit.name)")?.contents == unit.text)
            }
            #expect(expected.map(\.name).contains(NodeUnitNames.nodeSetup))
            #expect(expected.filter { $0.name.hasPrefix("lucidlink-") }.count == node.filespaces.count)
        }
    }

    @Test("the CloudWatch agent imports the proxies' request counts when Prometheus is on")
    func agentConfig() throws {
        let config = try TestSupport.maximalConfig()
        let bundle = try BundleRenderer.render(config)
        let agent = try JSONSerialization.jsonObject(with: Data(try #require(bundle.file("node/cloudwatch-agent.json")).contents.utf8)) as? [String: Any]
        let logs = agent?["logs"] as? [String: Any]
        let collected = logs?["logs_collected"] as? [String: Any]
        #expect(collected?["prometheus"] == nil, "the agent's schema takes only log sources under logs_collected")
        let prometheus = (logs?["metrics_collected"] as? [String: Any])?["prometheus"] as? [String: Any]
        #expect(prometheus?["log_group_name"] as? String == config.names.metricsLogGroup)
        let emf = prometheus?["emf_processor"] as? [String: Any]
        #expect(emf?["metric_namespace"] as? String == config.monitoring.namespace)
        let files = ((collected?["files"] as? [String: Any])?["collect_list"] as? [[String: Any]])?.compactMap { $0["log_group_name"] as? String }
        #expect(files == [config.names.nodeLogGroup, config.names.bootLogGroup, config.names.accessLogGroup])
        let scrape = try #require(bundle.file("node/cloudwatch-prometheus.yaml")).contents
        #expect(scrape.contains("- 127.0.0.1:\(config.proxy.metricsPort)\n"))
        #expect(scrape.contains("deployment: \(config.names.deployment)\n"))

        var quiet = config
        quiet.monitoring.prometheus = false
        let withoutPrometheus = try BundleRenderer.render(quiet)
        #expect(withoutPrometheus.file("node/cloudwatch-prometheus.yaml") == nil)
        #expect(withoutPrometheus.file("terraform/monitoring.tf")?.contents.contains("server_error_rate") == false, "an NLB without the proxies' counts has no 5xx source")
    }

    @Test("shell words are quoted only when needed")
    func shellQuoting() {
        #expect(ShellQuoting.quote("/etc/gateway/node.json") == "/etc/gateway/node.json")
        #expect(ShellQuoting.quote("it's") == "'it'\\''s'")
        #expect(ShellQuoting.quote("a b") == "'a b'")
        #expect(ShellQuoting.quote("") == "''")
    }

    @Test("a boot script over EC2's 16 KiB user data limit is an error, not a truncated script")
    func userDataLimit() throws {
        var config = try TestSupport.exampleConfig()
        for index in 0..<90 {
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
        #expect(example.resourcesByType["aws_lb_listener"] == 1)
        #expect(example.resourcesByType["aws_s3_bucket"] == 1 && example.resourcesByType["aws_s3_bucket_policy"] == 1)
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
