import GatewayCore

/// `dns.tf`: the hosted zone lookup, the ACM certificate for the S3 host and its wildcard (validated by
/// DNS or e-mail, or an existing one), and alias records for both names.
enum TerraformDNS {
    static let file = "dns.tf"

    static func render(_ context: TerraformContext, into module: inout TerraformModule) {
        if context.createsRecords {
            module.add(
                .data("aws_route53_zone", "main") { zone in
                    zone["name"] = .ref("var.zone_name")
                    zone["private_zone"] = false
                }, to: file)
        }
        if context.createsCertificate {
            module.comment("The wildcard name serves virtual-host-style requests (<bucket>.<s3 host>).", in: file)
            module.add(
                .resource("aws_acm_certificate", "s3") { certificate in
                    certificate["domain_name"] = .ref("var.s3_host")
                    certificate["subject_alternative_names"] = [.interpolated("*.", .ref("var.s3_host"))]
                    certificate["validation_method"] = .string(context.config.dns.validationMethod.rawValue)
                    certificate.block("options") { options in
                        options["certificate_transparency_logging_preference"] = "ENABLED"
                    }
                    certificate.nameTag(.ref("var.s3_host"))
                    certificate.block("lifecycle") { lifecycle in
                        lifecycle["create_before_destroy"] = true
                    }
                }, to: file)
            if context.validatesByDNS {
                module.add(
                    .resource("aws_route53_record", "certificate_validation") { record in
                        record["for_each"] = .forObject(
                            key: "option", value: nil,
                            collection: .ref("aws_acm_certificate.s3.domain_validation_options"),
                            resultKey: .ref("option.domain_name"),
                            resultValue: .object([
                                ("name", .ref("option.resource_record_name")),
                                ("record", .ref("option.resource_record_value")),
                                ("type", .ref("option.resource_record_type")),
                            ]),
                            grouped: false
                        )
                        record.separator()
                        record["zone_id"] = .ref("data.aws_route53_zone.main.zone_id")
                        record["name"] = .ref("each.value.name")
                        record["type"] = .ref("each.value.type")
                        record["records"] = [.ref("each.value.record")]
                        record["ttl"] = 60
                        record["allow_overwrite"] = true
                    }, to: file, instances: 2)
            }
            module.comment("Listeners use the certificate only once it is issued.", in: file)
            module.add(
                .resource("aws_acm_certificate_validation", "s3") { validation in
                    validation["certificate_arn"] = .ref("aws_acm_certificate.s3.arn")
                    if context.validatesByDNS {
                        validation["validation_record_fqdns"] = .forList(item: "record", collection: .ref("aws_route53_record.certificate_validation"), result: .ref("record.fqdn"), condition: nil)
                    }
                }, to: file)
        }
        guard context.createsRecords else { return }
        for (name, host) in [("s3", HCLExpression.ref("var.s3_host")), ("s3_buckets", HCLExpression.interpolated("*.", .ref("var.s3_host")))] {
            module.add(
                .resource("aws_route53_record", name) { record in
                    record["zone_id"] = .ref("data.aws_route53_zone.main.zone_id")
                    record["name"] = host
                    record["type"] = "A"
                    record.block("alias") { alias in
                        alias["name"] = .ref("aws_lb.s3.dns_name")
                        alias["zone_id"] = .ref("aws_lb.s3.zone_id")
                        alias["evaluate_target_health"] = true
                    }
                }, to: file)
        }
    }
}
