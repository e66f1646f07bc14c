import Foundation
import GatewayCore
import Testing

@testable import GatewayProvision

/// The `agents-not-reporting` alarm, read back from the rendered `monitoring.tf` with python-hcl2 and
/// checked against what the rendered agent configuration and Auto Scaling Group really publish.
@Suite("Alarm on instances whose CloudWatch agent does not report")
struct AgentAlarmTests {
    @Test("the alarm compares in-service instances with reporting agents", arguments: try RenderVariants.all().map(\.name))
    func alarm(variant: String) throws {
        let config = try #require(try RenderVariants.all().first { $0.name == variant }).config
        let (bundle, directory) = try TestSupport.writtenBundle(config, prefix: "agent-alarm-\(variant)")
        defer { try? FileManager.default.removeItem(atPath: (directory as NSString).deletingLastPathComponent) }
        let parsed = try SecurityDefaultsTests.parse(directory)
        let alarms = parsed.resources("aws_cloudwatch_metric_alarm").filter { $0.name == "agents_not_reporting" }
        guard config.monitoring.cloudWatch && config.monitoring.alarms else {
            #expect(alarms.isEmpty, "no agent runs, so none is missing")
            return
        }
        let alarm = try #require(alarms.first)
        #expect(alarms.count == 1)
        #expect(alarm.body["alarm_name"] as? String == "\(config.names.prefix)-agents-not-reporting")
        for key in ["metric_name", "namespace", "period", "statistic"] {
            #expect(alarm.body[key] == nil, "\(key) is not allowed next to metric_query")
        }
        #expect(alarm.body["comparison_operator"] as? String == "GreaterThanThreshold")
        #expect(alarm.body["threshold"] as? Double == 0.5)
        #expect(alarm.body["treat_missing_data"] as? String == "breaching")
        #expect(alarm.body["evaluation_periods"] as? Int == 3 && alarm.body["datapoints_to_alarm"] as? Int == 3)

        let queries = SecurityDefaultsTests.nested(alarm.body, "metric_query")
        let returned = queries.filter { $0["return_data"] as? Bool == true }
        #expect(returned.count == 1)
        let samplesPerAgent = TerraformMonitoring.agentReportPeriod / config.monitoring.publishIntervalSeconds
        #expect(returned.first?["expression"] as? String == "in_service - FILL(agent_samples, 0) / \(samplesPerAgent)")
        func metric(_ id: String) -> [String: Any] {
            SecurityDefaultsTests.nested(queries.first { $0["id"] as? String == id } ?? [:], "metric").first ?? [:]
        }
        let group = ["AutoScalingGroupName": "${aws_autoscaling_group.nodes.name}"]
        let inService = metric("in_service")
        #expect(inService["namespace"] as? String == "AWS/AutoScaling")
        #expect(inService["metric_name"] as? String == "GroupInServiceInstances")
        #expect(inService["stat"] as? String == "Average")
        #expect(inService["dimensions"] as? [String: String] == group)
        let groups = parsed.resources("aws_autoscaling_group")
        #expect((groups.first?.body["enabled_metrics"] as? [String])?.contains("GroupInServiceInstances") == true, "the group must publish the metric the alarm reads")

        // The agent side: what the rendered agent configuration publishes.
        let agentText = try #require(bundle.file("node/cloudwatch-agent.json")).contents
        let metrics = try #require((try JSONSerialization.jsonObject(with: Data(agentText.utf8)) as? [String: Any])?["metrics"] as? [String: Any])
        let samples = metric("agent_samples")
        #expect(samples["namespace"] as? String == metrics["namespace"] as? String)
        let memory = ((metrics["metrics_collected"] as? [String: Any])?["mem"] as? [String: Any])?["measurement"] as? [String]
        #expect(memory?.contains(samples["metric_name"] as? String ?? "") == true)
        #expect((metrics["aggregation_dimensions"] as? [[String]])?.contains(["AutoScalingGroupName"]) == true, "the agents must publish the metric per group alone")
        #expect(samples["stat"] as? String == "SampleCount")
        #expect(samples["dimensions"] as? [String: String] == group)
        for query in [inService, samples] {
            #expect(query["period"] as? Int == TerraformMonitoring.agentReportPeriod)
        }
        #expect(TerraformMonitoring.agentReportPeriod % config.monitoring.publishIntervalSeconds == 0)
    }
}
