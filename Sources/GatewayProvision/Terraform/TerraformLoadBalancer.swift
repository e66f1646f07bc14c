import GatewayCore

/// `loadbalancer.tf`: the S3 load balancer (ALB or NLB), its security group, TLS listener, the HTTP
/// redirect when asked for (ALB) and the target group of the proxies.
enum TerraformLoadBalancer {
    static let file = "loadbalancer.tf"

    static func render(_ context: TerraformContext, into module: inout TerraformModule) {
        let config = context.config
        let cidrCount = config.loadBalancer.allowedCidrs.count

        module.add(
            .resource("aws_security_group", "load_balancer") { group in
                group["name"] = context.name("lb")
                group["description"] = .string("S3 clients to the \(context.isALB ? "ALB" : "NLB"), and the load balancer to the proxies")
                group["vpc_id"] = .ref("aws_vpc.main.id")
                group.nameTag(context.name("lb"))
            }, to: file)
        module.add(
            .resource("aws_vpc_security_group_ingress_rule", "load_balancer_https") { rule in
                rule["for_each"] = .call("toset", [.ref("var.allowed_cidrs")])
                rule.separator()
                rule["security_group_id"] = .ref("aws_security_group.load_balancer.id")
                rule["description"] = "S3 over HTTPS from allowed clients"
                rule["cidr_ipv4"] = .ref("each.value")
                rule["ip_protocol"] = "tcp"
                rule["from_port"] = 443
                rule["to_port"] = 443
            }, to: file, instances: cidrCount)
        let redirectsHTTP = context.isALB && config.loadBalancer.httpRedirect
        if redirectsHTTP {
            module.add(
                .resource("aws_vpc_security_group_ingress_rule", "load_balancer_http") { rule in
                    rule["for_each"] = .call("toset", [.ref("var.allowed_cidrs")])
                    rule.separator()
                    rule["security_group_id"] = .ref("aws_security_group.load_balancer.id")
                    rule.comment("checkov:skip=CKV_AWS_260:port 80 only answers with a redirect to HTTPS (aws_lb_listener.http_redirect); nothing is served on it")
                    rule["description"] = "HTTP from allowed clients, answered with a redirect to HTTPS"
                    rule["cidr_ipv4"] = .ref("each.value")
                    rule["ip_protocol"] = "tcp"
                    rule["from_port"] = 80
                    rule["to_port"] = 80
                }, to: file, instances: cidrCount)
        }
        module.add(
            .resource("aws_vpc_security_group_egress_rule", "load_balancer_to_nodes") { rule in
                rule["security_group_id"] = .ref("aws_security_group.load_balancer.id")
                rule["description"] = "Requests and health checks to the proxies"
                rule["referenced_security_group_id"] = .ref("aws_security_group.nodes.id")
                rule["ip_protocol"] = "tcp"
                rule["from_port"] = .ref("var.proxy_port")
                rule["to_port"] = .ref("var.proxy_port")
            }, to: file)

        module.add(
            .resource("aws_lb", "s3") { lb in
                if context.isALB && !context.config.loadBalancer.internal {
                    lb.comment("checkov:skip=CKV2_AWS_28:WAF rule sets inspect and limit request bodies, which breaks signed S3 uploads; access is limited by loadBalancer.allowedCidrs")
                }
                lb["name"] = .string(context.names.loadBalancer)
                lb["load_balancer_type"] = context.isALB ? "application" : "network"
                lb["internal"] = .ref("var.load_balancer_internal")
                lb["subnets"] = .conditional(.ref("var.load_balancer_internal"), .ref("aws_subnet.private[*].id"), .ref("aws_subnet.public[*].id"))
                lb["security_groups"] = [.ref("aws_security_group.load_balancer.id")]
                lb["enable_deletion_protection"] = .ref("var.deletion_protection")
                if context.isALB {
                    lb["idle_timeout"] = .ref("var.idle_timeout")
                    lb["drop_invalid_header_fields"] = true
                    lb["desync_mitigation_mode"] = "defensive"
                    lb["enable_http2"] = true
                } else {
                    lb["enable_cross_zone_load_balancing"] = .ref("var.cross_zone_load_balancing")
                }
                if context.accessLogs {
                    TerraformAccessLogs.loadBalancerBlock(into: &lb)
                }
                lb.nameTag(.string(context.names.loadBalancer))
                lb.separator()
                // ELB checks that it may write to the log bucket when logging is turned on.
                lb["depends_on"] = .list([.ref("aws_internet_gateway.main")] + (context.accessLogs ? [.ref("aws_s3_bucket_policy.lb_logs")] : []))
            }, to: file)

        module.comment("The proxies answer the health path themselves; it cannot collide with a bucket name.", in: file)
        module.add(
            .resource("aws_lb_target_group", "proxy") { group in
                group["name"] = .string(context.names.targetGroup)
                group["port"] = .ref("var.proxy_port")
                group["protocol"] = context.isALB ? "HTTP" : "TCP"
                group["target_type"] = "instance"
                group["vpc_id"] = .ref("aws_vpc.main.id")
                group["deregistration_delay"] = .ref("var.deregistration_delay")
                if context.isALB {
                    group["load_balancing_algorithm_type"] = "least_outstanding_requests"
                } else {
                    group["connection_termination"] = true
                }
                group.block("health_check") { check in
                    check["enabled"] = true
                    check["protocol"] = "HTTP"
                    check["path"] = .ref("var.proxy_health_path")
                    check["port"] = "traffic-port"
                    check["matcher"] = "200"
                    check["interval"] = .ref("var.health_check_interval")
                    check["timeout"] = .ref("var.health_check_timeout")
                    check["healthy_threshold"] = .ref("var.healthy_threshold")
                    check["unhealthy_threshold"] = .ref("var.unhealthy_threshold")
                }
                group.nameTag(.string(context.names.targetGroup))
            }, to: file)

        module.add(
            .resource("aws_lb_listener", "tls") { listener in
                listener["load_balancer_arn"] = .ref("aws_lb.s3.arn")
                listener["port"] = 443
                listener["protocol"] = context.isALB ? "HTTPS" : "TLS"
                listener["ssl_policy"] = .ref("var.tls_policy")
                listener["certificate_arn"] = context.listenerCertificate
                listener.block("default_action") { action in
                    action["type"] = "forward"
                    action["target_group_arn"] = .ref("aws_lb_target_group.proxy.arn")
                }
            }, to: file)

        if redirectsHTTP {
            module.add(
                .resource("aws_lb_listener", "http_redirect") { listener in
                    listener["load_balancer_arn"] = .ref("aws_lb.s3.arn")
                    listener["port"] = 80
                    listener["protocol"] = "HTTP"
                    listener.block("default_action") { action in
                        action["type"] = "redirect"
                        action.block("redirect") { redirect in
                            redirect["port"] = "443"
                            redirect["protocol"] = "HTTPS"
                            redirect["status_code"] = "HTTP_301"
                        }
                    }
                }, to: file)
        }
    }
}
