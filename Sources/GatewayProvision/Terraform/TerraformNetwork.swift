import GatewayCore

/// `network.tf`: the region's zones, the VPC, a public and a private subnet per zone, internet and NAT
/// gateways, routes, VPC endpoints and the flow log.
enum TerraformNetwork {
    static let file = "network.tf"

    static func render(_ context: TerraformContext, into module: inout TerraformModule) {
        module.comment("Zones come from the region (names differ by region and account: ap-northeast-1 offers a, c and d; us-west-1 two), never from a pattern.", in: file)
        module.add(
            .data("aws_availability_zones", "available") { zones in
                zones.comment(
                    "checkov:skip=CKV_AWS_394:the deployment takes the first zone_count zones in name order, so a zone AWS adds (a later letter) does not change them; network.availabilityZones pins them by name"
                )
                zones["state"] = "available"
                zones.block("filter") { filter in
                    filter["name"] = "opt-in-status"
                    filter["values"] = ["opt-in-not-required"]
                }
                zones.block("lifecycle") { lifecycle in
                    lifecycle.block("postcondition") { condition in
                        condition["condition"] = .binary(.call("length", [.ref("self.names")]), .greaterOrEqual, .ref("var.zone_count"))
                        condition["error_message"] = .interpolated(
                            "The region offers ", HCLExpression.call("length", [HCLExpression.ref("self.names")]), " available zones; the deployment needs ", .ref("var.zone_count"),
                            ": set network.zoneCount to 2 or choose another region.")
                    }
                    lifecycle.block("postcondition") { condition in
                        condition["condition"] = .call(
                            "alltrue", [.forList(item: "zone", collection: .ref("var.availability_zones"), result: .call("contains", [.ref("self.names"), .ref("zone")]), condition: nil)])
                        condition["error_message"] = .interpolated(
                            "network.availabilityZones names zones the region does not offer as available: the available zones are ", HCLExpression.call("join", [.string(", "), .ref("self.names")]),
                            ".")
                    }
                }
            }, to: file)
        var locals = HCLBlock("locals")
        locals["available_zones"] = .call("sort", [.ref("data.aws_availability_zones.available.names")])
        locals["zones"] = .conditional(
            .binary(.call("length", [.ref("var.availability_zones")]), .greater, .number(0)),
            .ref("var.availability_zones"),
            .call("slice", [.ref("local.available_zones"), .number(0), .call("min", [.ref("var.zone_count"), .call("length", [.ref("local.available_zones")])])]))
        module.add(locals, to: file)

        module.add(
            .resource("aws_vpc", "main") { vpc in
                vpc["cidr_block"] = .ref("var.vpc_cidr")
                vpc["enable_dns_support"] = true
                vpc["enable_dns_hostnames"] = true
                vpc.nameTag(.ref("local.name"))
            }, to: file)

        module.comment("The VPC's default security group allows nothing; every resource has its own group.", in: file)
        module.add(
            .resource("aws_default_security_group", "default") { group in
                group["vpc_id"] = .ref("aws_vpc.main.id")
            }, to: file)

        module.add(
            .resource("aws_internet_gateway", "main") { gateway in
                gateway["vpc_id"] = .ref("aws_vpc.main.id")
                gateway.nameTag(.ref("local.name"))
            }, to: file)

        for tier in ["public", "private"] {
            module.add(
                .resource("aws_subnet", tier) { subnet in
                    subnet["count"] = .ref("var.zone_count")
                    subnet.separator()
                    subnet["vpc_id"] = .ref("aws_vpc.main.id")
                    subnet["availability_zone"] = .ref("local.zones[count.index]")
                    subnet["cidr_block"] = .ref("var.\(tier)_subnet_cidrs[count.index]")
                    subnet["map_public_ip_on_launch"] = false
                    subnet.nameTag(.interpolated(.ref("local.name"), "-\(tier)-", .ref("local.zones[count.index]")), extra: [("Tier", .string(tier))])
                }, to: file, instances: context.zoneCount)
        }

        module.add(
            .resource("aws_route_table", "public") { table in
                table["vpc_id"] = .ref("aws_vpc.main.id")
                table.nameTag(.interpolated(.ref("local.name"), "-public"))
            }, to: file)
        module.add(
            .resource("aws_route", "public_internet") { route in
                route["route_table_id"] = .ref("aws_route_table.public.id")
                route["destination_cidr_block"] = "0.0.0.0/0"
                route["gateway_id"] = .ref("aws_internet_gateway.main.id")
            }, to: file)
        module.add(
            .resource("aws_route_table_association", "public") { association in
                association["count"] = .ref("var.zone_count")
                association.separator()
                association["subnet_id"] = .ref("aws_subnet.public[count.index].id")
                association["route_table_id"] = .ref("aws_route_table.public.id")
            }, to: file, instances: context.zoneCount)

        if context.natGatewayCount > 0 {
            let count: HCLExpression = context.natGatewayCount == 1 ? 1 : .ref("var.zone_count")
            module.comment(context.natGatewayCount == 1 ? "One NAT gateway serves all zones." : "One NAT gateway per zone, so a zone's egress does not depend on another zone.", in: file)
            module.add(
                .resource("aws_eip", "nat") { eip in
                    eip["count"] = count
                    eip.separator()
                    eip["domain"] = "vpc"
                    eip.nameTag(.interpolated(.ref("local.name"), "-nat-", .ref("local.zones[count.index]")))
                    eip.separator()
                    eip["depends_on"] = [.ref("aws_internet_gateway.main")]
                }, to: file, instances: context.natGatewayCount)
            module.add(
                .resource("aws_nat_gateway", "main") { nat in
                    nat["count"] = count
                    nat.separator()
                    nat["allocation_id"] = .ref("aws_eip.nat[count.index].id")
                    nat["subnet_id"] = .ref("aws_subnet.public[count.index].id")
                    nat.nameTag(.interpolated(.ref("local.name"), "-", .ref("local.zones[count.index]")))
                    nat.separator()
                    nat["depends_on"] = [.ref("aws_internet_gateway.main")]
                }, to: file, instances: context.natGatewayCount)
        }

        module.add(
            .resource("aws_route_table", "private") { table in
                table["count"] = .ref("var.zone_count")
                table.separator()
                table["vpc_id"] = .ref("aws_vpc.main.id")
                table.nameTag(.interpolated(.ref("local.name"), "-private-", .ref("local.zones[count.index]")))
            }, to: file, instances: context.zoneCount)
        if context.natGatewayCount > 0 {
            module.add(
                .resource("aws_route", "private_nat") { route in
                    route["count"] = .ref("var.zone_count")
                    route.separator()
                    route["route_table_id"] = .ref("aws_route_table.private[count.index].id")
                    route["destination_cidr_block"] = "0.0.0.0/0"
                    route["nat_gateway_id"] = context.natGatewayCount == 1 ? .ref("aws_nat_gateway.main[0].id") : .ref("aws_nat_gateway.main[count.index].id")
                }, to: file, instances: context.zoneCount)
        }
        module.add(
            .resource("aws_route_table_association", "private") { association in
                association["count"] = .ref("var.zone_count")
                association.separator()
                association["subnet_id"] = .ref("aws_subnet.private[count.index].id")
                association["route_table_id"] = .ref("aws_route_table.private[count.index].id")
            }, to: file, instances: context.zoneCount)

        if context.config.network.endpoints.s3 {
            module.comment("S3 traffic of every private subnet stays inside AWS.", in: file)
            module.add(
                .resource("aws_vpc_endpoint", "s3") { endpoint in
                    endpoint["vpc_id"] = .ref("aws_vpc.main.id")
                    endpoint["service_name"] = .interpolated("com.amazonaws.", .ref("var.region"), ".s3")
                    endpoint["vpc_endpoint_type"] = "Gateway"
                    endpoint["route_table_ids"] = .ref("aws_route_table.private[*].id")
                    endpoint.nameTag(.interpolated(.ref("local.name"), "-s3"))
                }, to: file)
        }

        if !context.interfaceEndpoints.isEmpty {
            module.add(
                .resource("aws_security_group", "endpoints") { group in
                    group["name"] = context.name("endpoints")
                    group["description"] = "HTTPS from the VPC to the interface endpoints"
                    group["vpc_id"] = .ref("aws_vpc.main.id")
                    group.block("ingress") { rule in
                        rule["description"] = "HTTPS from the VPC"
                        rule["from_port"] = 443
                        rule["to_port"] = 443
                        rule["protocol"] = "tcp"
                        rule["cidr_blocks"] = [.ref("var.vpc_cidr")]
                    }
                    group.nameTag(context.name("endpoints"))
                }, to: file)
            module.comment("SSM, CloudWatch and friends answer inside the VPC, with private DNS names.", in: file)
            module.add(
                .resource("aws_vpc_endpoint", "interface") { endpoint in
                    endpoint["for_each"] = .call("toset", [.ref("var.interface_endpoints")])
                    endpoint.separator()
                    endpoint["vpc_id"] = .ref("aws_vpc.main.id")
                    endpoint["service_name"] = .interpolated("com.amazonaws.", .ref("var.region"), ".", .ref("each.key"))
                    endpoint["vpc_endpoint_type"] = "Interface"
                    endpoint["subnet_ids"] = .ref("aws_subnet.private[*].id")
                    endpoint["security_group_ids"] = [.ref("aws_security_group.endpoints.id")]
                    endpoint["private_dns_enabled"] = true
                    endpoint.nameTag(.interpolated(.ref("local.name"), "-", .ref("each.key")))
                }, to: file, instances: context.interfaceEndpoints.count)
        }

        module.comment("Rejected traffic is logged for troubleshooting security groups.", in: file)
        module.add(
            .resource("aws_flow_log", "vpc") { flow in
                flow["vpc_id"] = .ref("aws_vpc.main.id")
                flow["traffic_type"] = "REJECT"
                flow["log_destination_type"] = "cloud-watch-logs"
                flow["log_destination"] = context.logGroupARN("flow_logs")
                flow["iam_role_arn"] = .ref("aws_iam_role.flow_logs.arn")
                flow["max_aggregation_interval"] = 600
                flow.nameTag(.interpolated(.ref("local.name"), "-rejects"))
            }, to: file)
    }
}
