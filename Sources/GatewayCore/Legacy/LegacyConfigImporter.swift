import Foundation

/// Converts the reference system's `config_vars.txt` into a ``GatewayConfig``.
///
/// The file is read as data, never executed. Every known key is mapped to its place in the model;
/// keys the new design replaces (the Grafana/StatsD stack) are reported as notices, as are unknown keys
/// and lines that are not assignments. Template placeholders (`<YOUR_S3_ACCESS_KEY>`) are kept, so
/// validation can point at them.
public enum LegacyConfigImporter {
    /// The result of an import.
    public struct Result: Sendable {
        /// The imported config (defaults where the file says nothing).
        public var config: GatewayConfig
        /// What was dropped, changed or not understood, one line each.
        public var notices: [String]
    }

    /// Imports a legacy config file's text.
    public static func importText(_ text: String) -> Result {
        var parser = LegacyAssignmentParser()
        parser.parse(text)
        var notices = parser.notices
        var values: [String: (value: String, line: Int)] = [:]
        for assignment in parser.assignments {
            values[assignment.key] = (assignment.value, assignment.line)
        }
        var config = GatewayConfig()
        var used: Set<String> = []
        func take(_ key: String) -> String? {
            guard let entry = values[key] else { return nil }
            used.insert(key)
            return entry.value
        }
        func integer(_ key: String, into keyPath: WritableKeyPath<GatewayConfig, Int>, field: String) {
            guard let text = take(key) else { return }
            if let number = Int(text.trimmingCharacters(in: .whitespaces)) {
                config[keyPath: keyPath] = number
            } else {
                notices.append("\(key)=\"\(text.prefix(40))\" is not a whole number; \(field) keeps its default \(config[keyPath: keyPath])")
            }
        }

        // AWS access and identity.
        if let key = take("AWS_ACCESS_KEY_ID"), !key.isEmpty { config.aws.accessKeyId = Secret(source: .literal(key)) }
        if let secret = take("AWS_SECRET_ACCESS_KEY"), !secret.isEmpty { config.aws.secretAccessKey = Secret(source: .literal(secret)) }
        if let profile = take("AWS_PROFILE") { config.aws.profile = profile }
        let region = take("AWS_REGION") ?? take("AWS_DEFAULT_REGION") ?? take("VGW_REGION")
        _ = take("AWS_DEFAULT_REGION")
        _ = take("VGW_REGION")
        if let region, !region.isEmpty { config.project.region = region }

        // Compute.
        if let type = take("EC2_TYPE"), !type.isEmpty { config.compute.instanceTypes = [type] }
        integer("ASG_MIN_SIZE", into: \.compute.minSize, field: "compute.minSize")
        integer("ASG_MAX_SIZE", into: \.compute.maxSize, field: "compute.maxSize")
        integer("ASG_DESIRED_CAPACITY", into: \.compute.desiredCapacity, field: "compute.desiredCapacity")

        // Filespaces: FILESPACE1.., FSUSER1.., LLPASSWD1.., ROOTPOINT1..; FSVERSION for all.
        let version = take("FSVERSION")
        var filespaces: [FilespaceSettings] = []
        for number in 1...8 {
            let name = take("FILESPACE\(number)")
            let user = take("FSUSER\(number)")
            let password = take("LLPASSWD\(number)")
            let rootPoint = take("ROOTPOINT\(number)")
            guard name != nil || user != nil || password != nil else { continue }
            var filespace = FilespaceSettings(name: name ?? "", user: user ?? "", password: password.map { Secret(reference: $0) } ?? .unset, rootPoint: rootPoint ?? "/")
            if let version {
                if let number = Int(version) {
                    filespace.clientVersion = number
                } else {
                    notices.append("FSVERSION=\"\(version.prefix(20))\" is not a number; filespaces use client version 3")
                }
            }
            filespaces.append(filespace)
        }
        if !filespaces.isEmpty { config.filespaces = filespaces }

        // VersityGW.
        if let key = take("ROOT_ACCESS_KEY") ?? take("VGWROOTACCESSKEY") { config.gateway.rootAccessKey = Secret(reference: key) }
        if let secret = take("ROOT_SECRET_KEY") ?? take("VGWROOTSECRETKEY") { config.gateway.rootSecretKey = Secret(reference: secret) }
        _ = take("VGWROOTACCESSKEY")
        _ = take("VGWROOTSECRETKEY")
        if let iamDir = take("VGW_IAM_DIR"), !iamDir.isEmpty {
            if iamDir == "/media/lucidlink/.vgw" {
                notices.append("VGW_IAM_DIR: the reference default /media/lucidlink/.vgw becomes <first filespace mount>/.vgw (gateway.iamDir left empty)")
            } else {
                config.gateway.iamDir = iamDir
            }
        }
        if let domain = take("VGW_VIRTUAL_DOMAIN") { config.gateway.virtualDomain = domain }
        if let port = take("VGW_PORT") {
            notices.append("VGW_PORT=\"\(port)\" dropped: gateways listen on gateway.firstPort (\(config.gateway.firstPort)) and the following ports")
        }

        // DNS.
        if let domain = take("FQDOMAIN") { config.dns.zoneName = domain }

        // Monitoring: the Grafana/StatsD/Prometheus-server stack is replaced by CloudWatch and a
        // Prometheus endpoint on each proxy; metrics no longer force the group to one instance.
        if let metrics = take("METRICS_ENABLED") {
            let enabled = metrics.lowercased() == "true"
            config.monitoring.prometheus = enabled
            config.monitoring.cloudWatch = enabled
            notices.append("METRICS_ENABLED=\(metrics): monitoring.cloudWatch and monitoring.prometheus set to \(enabled); metrics no longer force the Auto Scaling Group to one instance")
        }
        for dropped in ["GRAFANA_PASSWORD", "STATSD_SERVER", "PROMETHEUS_RETENTION"] where take(dropped) != nil {
            notices.append("\(dropped) dropped: the Grafana/StatsD stack is replaced by CloudWatch and each proxy's Prometheus endpoint")
        }

        for assignment in parser.assignments where !used.contains(assignment.key) {
            notices.append("line \(assignment.line): unknown key \(assignment.key) ignored")
            used.insert(assignment.key)
        }
        return Result(config: config, notices: notices)
    }
}
