import GatewayCore

/// `access-logs.tf`: the load balancer's access logs in an S3 bucket of the deployment: private
/// (public access blocked, ACLs disabled, TLS only), encrypted, versioned, its objects expiring after
/// `monitoring.logRetentionDays`, writable only by Elastic Load Balancing's log delivery for this
/// account.
enum TerraformAccessLogs {
    static let file = "access-logs.tf"
    /// The key prefix of the logs in the bucket (ELB adds `AWSLogs/<account>/...`).
    static let prefix = "s3-endpoint"

    /// Regions opened before August 2022, where ALB log delivery writes as an Elastic Load Balancing
    /// account of the region (`data "aws_elb_service_account"`); newer regions use the
    /// `logdelivery.elasticloadbalancing.amazonaws.com` service principal (AWS, "Enable access logs
    /// for your Application Load Balancer").
    static let regionsWithELBAccount: Set<String> = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-south-1",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
        "ca-central-1", "eu-central-1", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-north-1",
        "me-south-1", "sa-east-1",
    ]

    /// The `access_logs` block of the load balancer.
    static func loadBalancerBlock(into lb: inout HCLBlock) {
        lb.block("access_logs") { logs in
            logs["bucket"] = .ref("aws_s3_bucket.lb_logs.id")
            logs["prefix"] = .string(prefix)
            logs["enabled"] = true
        }
    }

    static func render(_ context: TerraformContext, into module: inout TerraformModule) {
        let bucket = HCLExpression.ref("aws_s3_bucket.lb_logs.id")
        module.comment("Access logs of the load balancer; destroying a protected deployment keeps them.", in: file)
        module.add(
            .resource("aws_s3_bucket", "lb_logs") { resource in
                resource.comment("checkov:skip=CKV_AWS_145:ELB access log delivery writes only to buckets encrypted with S3-managed keys (SSE-S3), not KMS")
                resource.comment("checkov:skip=CKV_AWS_144:the logs are kept in the deployment's region; replicate them with your organisation's log archive if policy asks")
                resource.comment("checkov:skip=CKV_AWS_18:this bucket holds access logs itself; logging its own access would log the log writes")
                resource["bucket_prefix"] = .string("\(context.names.prefix)-lb-logs-")
                resource["force_destroy"] = .not(.ref("var.deletion_protection"))
                resource.nameTag(.interpolated(.ref("local.name"), "-lb-logs"))
            }, to: file)
        module.add(
            .resource("aws_s3_bucket_public_access_block", "lb_logs") { block in
                block["bucket"] = bucket
                block["block_public_acls"] = true
                block["block_public_policy"] = true
                block["ignore_public_acls"] = true
                block["restrict_public_buckets"] = true
            }, to: file)
        module.add(
            .resource("aws_s3_bucket_ownership_controls", "lb_logs") { controls in
                controls["bucket"] = bucket
                controls.block("rule") { rule in
                    rule["object_ownership"] = "BucketOwnerEnforced"
                }
            }, to: file)
        module.add(
            .resource("aws_s3_bucket_server_side_encryption_configuration", "lb_logs") { encryption in
                encryption["bucket"] = bucket
                encryption.block("rule") { rule in
                    rule.block("apply_server_side_encryption_by_default") { defaults in
                        defaults["sse_algorithm"] = "AES256"
                    }
                }
            }, to: file)
        module.add(
            .resource("aws_s3_bucket_versioning", "lb_logs") { versioning in
                versioning["bucket"] = bucket
                versioning.block("versioning_configuration") { configuration in
                    configuration["status"] = "Enabled"
                }
            }, to: file)
        module.add(
            .resource("aws_s3_bucket_lifecycle_configuration", "lb_logs") { lifecycle in
                lifecycle["bucket"] = bucket
                lifecycle.block("rule") { rule in
                    rule["id"] = "retention"
                    rule["status"] = "Enabled"
                    rule.block("filter") { _ in }
                    rule.block("expiration") { expiration in
                        expiration["days"] = .ref("var.log_retention_days")
                    }
                    rule.block("noncurrent_version_expiration") { expiration in
                        expiration["noncurrent_days"] = 7
                    }
                    rule.block("abort_incomplete_multipart_upload") { abort in
                        abort["days_after_initiation"] = 1
                    }
                }
                lifecycle.separator()
                lifecycle["depends_on"] = [.ref("aws_s3_bucket_versioning.lb_logs")]
            }, to: file)
        module.comment("New log objects are announced on EventBridge, for whoever wants to process them.", in: file)
        module.add(
            .resource("aws_s3_bucket_notification", "lb_logs") { notification in
                notification["bucket"] = bucket
                notification["eventbridge"] = true
            }, to: file)

        let usesELBAccount = context.isALB && regionsWithELBAccount.contains(context.config.project.region)
        if usesELBAccount {
            module.add(.data("aws_elb_service_account", "current"), to: file)
        }
        module.add(
            .data("aws_iam_policy_document", "lb_logs") { document in
                let logs = HCLExpression.interpolated(.ref("aws_s3_bucket.lb_logs.arn"), "/\(prefix)/AWSLogs/", .ref("data.aws_caller_identity.current.account_id"), "/*")
                document.block("statement") { statement in
                    statement["sid"] = "DeliverAccessLogs"
                    statement["actions"] = .strings(["s3:PutObject"])
                    statement["resources"] = [logs]
                    statement.block("principals") { principals in
                        if usesELBAccount {
                            principals["type"] = "AWS"
                            principals["identifiers"] = [.ref("data.aws_elb_service_account.current.arn")]
                        } else {
                            principals["type"] = "Service"
                            principals["identifiers"] = .strings([context.isALB ? "logdelivery.elasticloadbalancing.amazonaws.com" : "delivery.logs.amazonaws.com"])
                        }
                    }
                }
                if !context.isALB {
                    document.block("statement") { statement in
                        statement["sid"] = "CheckBucketForDelivery"
                        statement["actions"] = .strings(["s3:GetBucketAcl"])
                        statement["resources"] = [.ref("aws_s3_bucket.lb_logs.arn")]
                        statement.block("principals") { principals in
                            principals["type"] = "Service"
                            principals["identifiers"] = .strings(["delivery.logs.amazonaws.com"])
                        }
                        TerraformIAM.addSourceAccountCondition(to: &statement)
                    }
                }
                document.block("statement") { statement in
                    statement["sid"] = "TLSOnly"
                    statement["effect"] = "Deny"
                    statement["actions"] = .strings(["s3:*"])
                    statement["resources"] = [.ref("aws_s3_bucket.lb_logs.arn"), .interpolated(.ref("aws_s3_bucket.lb_logs.arn"), "/*")]
                    statement.block("principals") { principals in
                        principals["type"] = "*"
                        principals["identifiers"] = .strings(["*"])
                    }
                    statement.block("condition") { condition in
                        condition["test"] = "Bool"
                        condition["variable"] = "aws:SecureTransport"
                        condition["values"] = .strings(["false"])
                    }
                }
            }, to: file)
        module.add(
            .resource("aws_s3_bucket_policy", "lb_logs") { policy in
                policy["bucket"] = bucket
                policy["policy"] = .ref("data.aws_iam_policy_document.lb_logs.json")
                policy.separator()
                policy["depends_on"] = [.ref("aws_s3_bucket_public_access_block.lb_logs")]
            }, to: file)
    }
}
