import GatewayCore

/// `outputs.tf`: what operators and `gw-cli outputs` need after apply.
enum TerraformOutputs {
    static let file = "outputs.tf"

    static func render(_ context: TerraformContext, into module: inout TerraformModule) {
        func output(_ name: String, _ description: String, _ value: HCLExpression) {
            var block = HCLBlock("output", name)
            block["description"] = .string(description)
            block["value"] = value
            module.add(block, to: file)
        }
        output("s3_endpoint", "The S3 endpoint URL (path-style requests).", .interpolated("https://", .ref("var.s3_host")))
        output("s3_virtual_host_pattern", "Virtual-host-style URL of a bucket; replace {bucket}.", .interpolated("https://{bucket}.", .ref("var.s3_host")))
        let mapping = context.config.bucketMapping
        output("bucket_mapping", "How the S3 buckets map to the LucidLink filespaces (gateway.buckets).", .string(mapping.summary))
        if mapping.layout == .filespaces {
            output(
                "filespace_buckets", "Each bucket and the filespace (with its root point) it serves.",
                .object(mapping.filespaceBuckets.map { ($0.bucket, HCLExpression.string("\($0.filespace):\($0.rootPoint)")) }))
        }
        output("load_balancer_dns_name", "DNS name of the load balancer (the alias target of the S3 host).", .ref("aws_lb.s3.dns_name"))
        output("load_balancer_zone_id", "Hosted zone id of the load balancer, for alias records.", .ref("aws_lb.s3.zone_id"))
        output("autoscaling_group_name", "The Auto Scaling Group of the gateway instances.", .ref("aws_autoscaling_group.nodes.name"))
        output("target_group_arn", "The target group the instances register with.", .ref("aws_lb_target_group.proxy.arn"))
        output("ami_id", "The image the instances run.", .ref("var.ami_id"))
        output("certificate_arn", "The TLS certificate of the listener.", context.listenerCertificate)
        output("vpc_id", "The VPC.", .ref("aws_vpc.main.id"))
        output("availability_zones", "The zones of the subnets, in subnet order (read from the region unless the config names them).", .ref("local.zones"))
        output("private_subnet_ids", "Subnets of the instances.", .ref("aws_subnet.private[*].id"))
        output("public_subnet_ids", "Subnets of the load balancer and NAT gateways.", .ref("aws_subnet.public[*].id"))
        if context.natGatewayCount > 0 {
            output("nat_gateway_ids", "The NAT gateways.", .ref("aws_nat_gateway.main[*].id"))
        }
        output("instance_role_name", "IAM role of the instances.", .ref("aws_iam_role.node.name"))
        output("parameter_path", "SSM path the instances read their secrets from.", .ref("local.parameter_path"))
        if context.cloudWatch {
            output(
                "log_group_names", "CloudWatch log groups of the instances.",
                .object(TerraformMonitoring.nodeLogGroups(context).map { ($0.resource, HCLExpression.ref("aws_cloudwatch_log_group.\($0.resource).name")) }))
        }
    }
}
