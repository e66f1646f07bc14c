import GatewayCore

/// `compute.tf`: the instances' security group, launch template and Auto Scaling Group.
enum TerraformCompute {
    static let file = "compute.tf"
    /// Device names mapped to instance-store volumes (EC2 ignores mappings beyond a type's volumes).
    static let instanceStoreDevices = ["sdb", "sdc", "sdd", "sde"]

    static func render(_ context: TerraformContext, into module: inout TerraformModule) {
        let config = context.config

        module.add(
            .resource("aws_security_group", "nodes") { group in
                group["name"] = context.name("nodes")
                group["description"] = "Gateway instances: proxy port from the load balancer, HTTPS out"
                group["vpc_id"] = .ref("aws_vpc.main.id")
                group.nameTag(context.name("nodes"))
            }, to: file)
        module.add(
            .resource("aws_vpc_security_group_ingress_rule", "nodes_from_load_balancer") { rule in
                rule["security_group_id"] = .ref("aws_security_group.nodes.id")
                rule["description"] = "Requests and health checks from the load balancer"
                rule["referenced_security_group_id"] = .ref("aws_security_group.load_balancer.id")
                rule["ip_protocol"] = "tcp"
                rule["from_port"] = .ref("var.proxy_port")
                rule["to_port"] = .ref("var.proxy_port")
            }, to: file)
        module.add(
            .resource("aws_vpc_security_group_egress_rule", "nodes_https") { rule in
                rule["security_group_id"] = .ref("aws_security_group.nodes.id")
                rule["description"] = "HTTPS to LucidLink, AWS APIs and package mirrors"
                rule["cidr_ipv4"] = "0.0.0.0/0"
                rule["ip_protocol"] = "tcp"
                rule["from_port"] = 443
                rule["to_port"] = 443
            }, to: file)
        if context.sshEnabled {
            module.comment("SSH only because a key pair and networks are configured; SSM Session Manager needs none.", in: file)
            module.add(
                .resource("aws_vpc_security_group_ingress_rule", "nodes_ssh") { rule in
                    rule["for_each"] = .call("toset", [.ref("var.ssh_cidrs")])
                    rule.separator()
                    rule["security_group_id"] = .ref("aws_security_group.nodes.id")
                    rule["description"] = "SSH from the configured networks"
                    rule["cidr_ipv4"] = .ref("each.value")
                    rule["ip_protocol"] = "tcp"
                    rule["from_port"] = 22
                    rule["to_port"] = 22
                }, to: file, instances: config.compute.sshCidrs.count)
        }

        module.comment("The boot script installs this deployment's node config and units; it holds no secret.", in: file)
        module.add(
            .resource("aws_launch_template", "node") { template in
                template["name"] = .string(context.names.launchTemplate)
                template["description"] = .string("Gateway instances of \(context.names.deployment)")
                template["image_id"] = .ref("var.ami_id")
                template["ebs_optimized"] = true
                template["update_default_version"] = true
                template["instance_initiated_shutdown_behavior"] = "terminate"
                template["vpc_security_group_ids"] = [.ref("aws_security_group.nodes.id")]
                template["user_data"] = .call("filebase64", [.interpolated(.ref("path.module"), "/" + TerraformContext.userDataPath)])
                if context.sshEnabled { template["key_name"] = .ref("var.ssh_key_name") }
                template.block("iam_instance_profile") { profile in
                    profile["arn"] = .ref("aws_iam_instance_profile.node.arn")
                }
                template.block("metadata_options") { metadata in
                    metadata["http_endpoint"] = "enabled"
                    metadata["http_tokens"] = "required"
                    metadata["http_put_response_hop_limit"] = 1
                    metadata["instance_metadata_tags"] = "enabled"
                }
                template.block("monitoring") { monitoring in
                    monitoring["enabled"] = .ref("var.detailed_monitoring")
                }
                template.block("block_device_mappings") { mapping in
                    mapping["device_name"] = "/dev/sda1"
                    mapping.block("ebs") { ebs in
                        ebs["volume_size"] = .ref("var.root_volume_size")
                        ebs["volume_type"] = .ref("var.root_volume_type")
                        ebs["encrypted"] = true
                        ebs["delete_on_termination"] = true
                    }
                }
                template.block("dynamic", "block_device_mappings") { dynamic in
                    dynamic["for_each"] = .strings(instanceStoreDevices)
                    dynamic.block("content") { content in
                        content["device_name"] = .interpolated("/dev/", .ref("block_device_mappings.value"))
                        content["virtual_name"] = .interpolated("ephemeral", .ref("block_device_mappings.key"))
                    }
                }
                for resourceType in ["instance", "volume"] {
                    template.block("tag_specifications") { tags in
                        tags["resource_type"] = .string(resourceType)
                        tags["tags"] = .call("merge", [.ref("local.tags"), .object([("Name", .interpolated(.ref("local.name"), "-node"))])])
                    }
                }
                template.nameTag(.string(context.names.launchTemplate))
            }, to: file)

        module.comment("Replacing the launch template (a new AMI or boot script) rolls the group with an instance refresh.", in: file)
        module.add(
            .resource("aws_autoscaling_group", "nodes") { group in
                group["name"] = .string(context.names.autoScalingGroup)
                group["min_size"] = .ref("var.asg_min_size")
                group["max_size"] = .ref("var.asg_max_size")
                group["desired_capacity"] = .ref("var.asg_desired_capacity")
                group["vpc_zone_identifier"] = .ref("aws_subnet.private[*].id")
                group["target_group_arns"] = [.ref("aws_lb_target_group.proxy.arn")]
                group["health_check_type"] = "ELB"
                group["health_check_grace_period"] = .ref("var.health_check_grace_period")
                group["default_instance_warmup"] = .ref("var.instance_warmup")
                group["capacity_rebalance"] = .bool(config.compute.onDemandPercentageAboveBase < 100)
                group["wait_for_capacity_timeout"] = "20m"
                group["metrics_granularity"] = "1Minute"
                group["enabled_metrics"] = .strings(["GroupDesiredCapacity", "GroupInServiceInstances", "GroupMaxSize", "GroupMinSize", "GroupPendingInstances", "GroupTerminatingInstances"])
                group.block("mixed_instances_policy") { policy in
                    policy.block("instances_distribution") { distribution in
                        distribution["on_demand_base_capacity"] = .ref("var.on_demand_base_capacity")
                        distribution["on_demand_percentage_above_base_capacity"] = .ref("var.on_demand_percentage_above_base")
                        distribution["spot_allocation_strategy"] = .ref("var.spot_allocation_strategy")
                    }
                    policy.block("launch_template") { launch in
                        launch.block("launch_template_specification") { specification in
                            specification["launch_template_id"] = .ref("aws_launch_template.node.id")
                            specification["version"] = .ref("aws_launch_template.node.latest_version")
                        }
                        launch.block("dynamic", "override") { dynamic in
                            dynamic["for_each"] = .ref("var.instance_types")
                            dynamic.block("content") { content in
                                content["instance_type"] = .ref("override.value")
                            }
                        }
                    }
                }
                group.block("instance_refresh") { refresh in
                    refresh["strategy"] = "Rolling"
                    refresh.block("preferences") { preferences in
                        preferences["min_healthy_percentage"] = .ref("var.refresh_min_healthy_percentage")
                        preferences["checkpoint_percentages"] = .ref("var.refresh_checkpoints")
                        preferences["checkpoint_delay"] = .ref("var.refresh_checkpoint_delay")
                        preferences["instance_warmup"] = .ref("var.instance_warmup")
                        preferences["auto_rollback"] = .ref("var.refresh_auto_rollback")
                    }
                }
                group.block("dynamic", "tag") { dynamic in
                    dynamic["for_each"] = .call("merge", [.ref("local.tags"), .object([("Name", .interpolated(.ref("local.name"), "-node"))])])
                    dynamic.block("content") { content in
                        content["key"] = .ref("tag.key")
                        content["value"] = .ref("tag.value")
                        content["propagate_at_launch"] = false
                    }
                }
                var dependencies: [HCLExpression] = []
                if context.natGatewayCount > 0 { dependencies.append(.ref("aws_route.private_nat")) }
                if !context.interfaceEndpoints.isEmpty { dependencies.append(.ref("aws_vpc_endpoint.interface")) }
                if context.cloudWatch { dependencies.append(.ref("aws_cloudwatch_log_group.node")) }
                if !dependencies.isEmpty {
                    group.separator()
                    group["depends_on"] = .list(dependencies)
                }
            }, to: file)
    }
}
