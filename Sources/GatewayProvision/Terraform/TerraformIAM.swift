import GatewayCore

/// `iam.tf`: the instance role (SSM core, its own SSM parameters, CloudWatch) and the flow log role.
/// No statement allows `*` actions, and resources are the deployment's own wherever the action allows.
enum TerraformIAM {
    static let file = "iam.tf"

    static func render(_ context: TerraformContext, into module: inout TerraformModule) {
        module.add(.data("aws_partition", "current"), to: file)
        module.add(.data("aws_caller_identity", "current"), to: file)

        module.add(assumeRolePolicy("node_assume_role", service: "ec2.amazonaws.com", sourceAccount: false), to: file)
        module.add(
            .resource("aws_iam_role", "node") { role in
                role["name"] = .string(context.names.instanceRole)
                role["description"] = .string("Gateway instances of \(context.names.deployment)")
                role["assume_role_policy"] = .ref("data.aws_iam_policy_document.node_assume_role.json")
            }, to: file)
        module.comment("Session Manager instead of SSH.", in: file)
        module.add(
            .resource("aws_iam_role_policy_attachment", "node_ssm") { attachment in
                attachment["role"] = .ref("aws_iam_role.node.name")
                attachment["policy_arn"] = .interpolated("arn:", .ref("data.aws_partition.current.partition"), ":iam::aws:policy/AmazonSSMManagedInstanceCore")
            }, to: file)

        module.add(
            .data("aws_iam_policy_document", "node") { document in
                document.block("statement") { statement in
                    statement["sid"] = "ReadDeploymentSecrets"
                    statement["actions"] = .strings(["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"])
                    statement["resources"] = .list([
                        context.arn("ssm", ["parameter", HCLExpression.ref("local.parameter_path")]),
                        context.arn("ssm", ["parameter", HCLExpression.ref("local.parameter_path"), "/*"]),
                    ])
                }
                if context.cloudWatch {
                    document.block("statement") { statement in
                        statement["sid"] = "PublishMetrics"
                        statement["actions"] = .strings(["cloudwatch:PutMetricData"])
                        statement["resources"] = .strings(["*"])
                        statement.block("condition") { condition in
                            condition["test"] = "StringEquals"
                            condition["variable"] = "cloudwatch:namespace"
                            condition["values"] = .list([.ref("var.metrics_namespace"), .string("CWAgent")])
                        }
                    }
                    document.block("statement") { statement in
                        statement["sid"] = "WriteLogs"
                        statement["actions"] = .strings(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"])
                        statement["resources"] = .list(TerraformMonitoring.nodeLogGroups(context).map { .interpolated(context.logGroupARN($0.resource), ":*") })
                    }
                    document.block("statement") { statement in
                        statement["sid"] = "DescribeForMetricDimensions"
                        statement["actions"] = .strings(["ec2:DescribeTags", "ec2:DescribeVolumes"])
                        statement["resources"] = .strings(["*"])
                    }
                }
            }, to: file)
        module.add(
            .resource("aws_iam_role_policy", "node") { policy in
                policy["name"] = context.name("node")
                policy["role"] = .ref("aws_iam_role.node.id")
                policy["policy"] = .ref("data.aws_iam_policy_document.node.json")
            }, to: file)
        module.add(
            .resource("aws_iam_instance_profile", "node") { profile in
                profile["name"] = .string(context.names.instanceRole)
                profile["role"] = .ref("aws_iam_role.node.name")
            }, to: file)

        module.add(assumeRolePolicy("flow_logs_assume_role", service: "vpc-flow-logs.amazonaws.com", sourceAccount: true), to: file)
        module.add(
            .resource("aws_iam_role", "flow_logs") { role in
                role["name"] = context.name("flow-logs")
                role["description"] = .string("VPC flow log delivery of \(context.names.deployment)")
                role["assume_role_policy"] = .ref("data.aws_iam_policy_document.flow_logs_assume_role.json")
            }, to: file)
        module.add(
            .data("aws_iam_policy_document", "flow_logs") { document in
                document.block("statement") { statement in
                    statement["sid"] = "DeliverFlowLogs"
                    statement["actions"] = .strings(["logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents"])
                    statement["resources"] = .list([context.logGroupARN("flow_logs"), .interpolated(context.logGroupARN("flow_logs"), ":*")])
                }
            }, to: file)
        module.add(
            .resource("aws_iam_role_policy", "flow_logs") { policy in
                policy["name"] = context.name("flow-logs")
                policy["role"] = .ref("aws_iam_role.flow_logs.id")
                policy["policy"] = .ref("data.aws_iam_policy_document.flow_logs.json")
            }, to: file)
    }

    private static func assumeRolePolicy(_ name: String, service: String, sourceAccount: Bool) -> HCLBlock {
        .data("aws_iam_policy_document", name) { document in
            document.block("statement") { statement in
                statement["actions"] = .strings(["sts:AssumeRole"])
                statement.block("principals") { principals in
                    principals["type"] = "Service"
                    principals["identifiers"] = .strings([service])
                }
                if sourceAccount { addSourceAccountCondition(to: &statement) }
            }
        }
    }

    /// Limits a policy statement for an AWS service to requests on behalf of this account (against the
    /// confused deputy problem).
    static func addSourceAccountCondition(to statement: inout HCLBlock) {
        statement.block("condition") { condition in
            condition["test"] = "StringEquals"
            condition["variable"] = "aws:SourceAccount"
            condition["values"] = [.ref("data.aws_caller_identity.current.account_id")]
        }
    }
}
