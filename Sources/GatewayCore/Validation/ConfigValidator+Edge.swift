extension ConfigValidator {
    /// TLS policies that allow only TLS 1.2 and newer.
    static let modernTLSPolicies = [
        "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
        "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
        "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
        "ELBSecurityPolicy-FS-1-2-2019-08", "ELBSecurityPolicy-FS-1-2-Res-2019-08", "ELBSecurityPolicy-FS-1-2-Res-2020-10",
        "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09", "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    ]

    func checkLoadBalancer(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let lb = config.loadBalancer
        if lb.allowedCidrs.isEmpty {
            report.error("loadBalancer.allowedCidrs", "no client could reach the endpoint", hint: "list the client CIDRs, e.g. [0.0.0.0/0] for a public endpoint")
        }
        for (index, cidr) in lb.allowedCidrs.enumerated() {
            guard let parsed = IPv4CIDR(cidr) else {
                report.error("loadBalancer.allowedCidrs[\(index)]", "\"\(cidr)\" is not an IPv4 CIDR", hint: "e.g. 203.0.113.0/24")
                continue
            }
            if parsed.hasHostBits {
                report.error("loadBalancer.allowedCidrs[\(index)]", "\(cidr) has host bits set", hint: "use the network address")
            }
        }
        if !Self.modernTLSPolicies.contains(lb.tlsPolicy) {
            let legacy = lb.tlsPolicy.hasPrefix("ELBSecurityPolicy-2016") || lb.tlsPolicy.hasPrefix("ELBSecurityPolicy-2015") || lb.tlsPolicy.contains("1-0") || lb.tlsPolicy.contains("1-1")
            report.error(
                "loadBalancer.tlsPolicy", legacy ? "\(lb.tlsPolicy) allows TLS 1.0/1.1" : "\"\(lb.tlsPolicy)\" is not a known TLS 1.2+ policy",
                hint: "use ELBSecurityPolicy-TLS13-1-2-2021-06 (TLS 1.2 and 1.3)")
        }
        switch lb.type {
        case .alb:
            report.range("loadBalancer.healthCheckIntervalSeconds", lb.healthCheckIntervalSeconds, 5...300, unit: "seconds")
            report.range("loadBalancer.idleTimeoutSeconds", lb.idleTimeoutSeconds, 1...4000, unit: "seconds")
            if lb.idleTimeoutSeconds < 120 {
                report.warning("loadBalancer.idleTimeoutSeconds", "\(lb.idleTimeoutSeconds) s may cut CompleteMultipartUpload and CopyObject, which can be silent for minutes", hint: "use 300 or more")
            }
        case .nlb:
            if ![10, 30].contains(lb.healthCheckIntervalSeconds) {
                report.error("loadBalancer.healthCheckIntervalSeconds", "an NLB health check interval must be 10 or 30 seconds, not \(lb.healthCheckIntervalSeconds)", hint: "use 10 or 30")
            }
            if lb.httpRedirect {
                report.warning("loadBalancer.httpRedirect", "an NLB passes TLS through and has no HTTP listener to redirect from", hint: "remove loadBalancer.httpRedirect, or use an ALB")
            }
        }
        report.range("loadBalancer.healthCheckTimeoutSeconds", lb.healthCheckTimeoutSeconds, 2...120, unit: "seconds")
        if lb.healthCheckTimeoutSeconds >= lb.healthCheckIntervalSeconds {
            report.error("loadBalancer.healthCheckTimeoutSeconds", "must be shorter than the interval (\(lb.healthCheckIntervalSeconds) s)", hint: "lower the timeout or raise the interval")
        }
        report.range("loadBalancer.healthyThreshold", lb.healthyThreshold, 2...10)
        report.range("loadBalancer.unhealthyThreshold", lb.unhealthyThreshold, 2...10)
        report.range("loadBalancer.deregistrationDelaySeconds", lb.deregistrationDelaySeconds, 0...3600, unit: "seconds")
        // On SIGTERM the proxy reports unhealthy and keeps serving for drainSeconds; the load balancer must
        // notice (unhealthyThreshold failed checks) before the proxy stops accepting.
        let (detection, overflow) = lb.healthCheckIntervalSeconds.multipliedReportingOverflow(by: lb.unhealthyThreshold)
        if !overflow, detection > 0, config.proxy.drainSeconds < Double(detection) {
            report.warning(
                "proxy.drainSeconds", "the proxy drains for \(Int(config.proxy.drainSeconds)) s, but the load balancer needs \(detection) s (interval × unhealthyThreshold) to stop sending",
                hint: "make proxy.drainSeconds at least \(detection)")
        }
    }

    func checkDNS(_ config: GatewayConfig, _ report: inout ValidationReport) {
        let dns = config.dns
        if dns.zoneName.isEmpty {
            report.error("dns.zoneName", "is required", hint: "the Route53 hosted zone, e.g. example.com")
        } else if TextRules.isPlaceholder(dns.zoneName) {
            report.error("dns.zoneName", "is still the template placeholder \"\(dns.zoneName)\"", hint: "set your Route53 hosted zone, e.g. example.com")
        } else if !TextRules.isDNSName(dns.cleanZoneName) {
            report.error("dns.zoneName", "\"\(dns.zoneName)\" is not a DNS name", hint: "e.g. example.com")
        }
        if !TextRules.isDNSLabel(dns.s3Subdomain) {
            report.error("dns.s3Subdomain", "\"\(dns.s3Subdomain)\" is not a single lowercase DNS label", hint: "e.g. s3")
        } else if !dns.zoneName.isEmpty, dns.wildcardHost.count > 253 {
            report.error("dns.s3Subdomain", "the names built from it are longer than 253 characters", hint: "shorten the zone or the subdomain")
        }
        switch dns.certificate {
        case .existing:
            if dns.certificateArn.isEmpty {
                report.error(
                    "dns.certificateArn", "is required when dns.certificate is \"existing\"",
                    hint: "give the ARN of an ACM certificate for \(dns.zoneName.isEmpty ? "s3.<zone>" : dns.s3Host) and \(dns.zoneName.isEmpty ? "*.s3.<zone>" : dns.wildcardHost)")
            } else if !dns.certificateArn.hasPrefix("arn:aws:acm:\(config.project.region):") || !dns.certificateArn.contains(":certificate/") {
                report.error(
                    "dns.certificateArn", "\"\(dns.certificateArn)\" is not an ACM certificate ARN in \(config.project.region)",
                    hint: "ACM certificates for a load balancer must be in its region: arn:aws:acm:\(config.project.region):ACCOUNT:certificate/ID")
            }
        case .create:
            if !dns.certificateArn.isEmpty {
                report.warning("dns.certificateArn", "is ignored because dns.certificate is \"create\"", hint: "set dns.certificate to \"existing\" to use it")
            }
            if dns.validationMethod == .dns, !dns.createRecords {
                report.error(
                    "dns.createRecords", "a certificate validated by DNS needs the validation records, but createRecords is false",
                    hint: "set createRecords to true, use validationMethod EMAIL, or give an existing certificate")
            }
            if dns.validationMethod == .email {
                report.warning("dns.validationMethod", "with EMAIL validation, apply waits until someone approves the certificate e-mail", hint: "DNS validation needs no manual step")
            }
        }
    }
}
