data "aws_route53_zone" "main" {
  name         = var.zone_name
  private_zone = false
}

# The wildcard name serves virtual-host-style requests (<bucket>.<s3 host>).
resource "aws_acm_certificate" "s3" {
  domain_name               = var.s3_host
  subject_alternative_names = ["*.${var.s3_host}"]
  validation_method         = "DNS"

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  tags = {
    Name = var.s3_host
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_route53_record" "certificate_validation" {
  for_each = {
    for option in aws_acm_certificate.s3.domain_validation_options : option.domain_name => {
      name   = option.resource_record_name
      record = option.resource_record_value
      type   = option.resource_record_type
    }
  }

  zone_id         = data.aws_route53_zone.main.zone_id
  name            = each.value.name
  type            = each.value.type
  records         = [each.value.record]
  ttl             = 60
  allow_overwrite = true
}

# Listeners use the certificate only once it is issued.
resource "aws_acm_certificate_validation" "s3" {
  certificate_arn         = aws_acm_certificate.s3.arn
  validation_record_fqdns = [for record in aws_route53_record.certificate_validation : record.fqdn]
}

resource "aws_route53_record" "s3" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = var.s3_host
  type    = "A"

  alias {
    name                   = aws_lb.s3.dns_name
    zone_id                = aws_lb.s3.zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "s3_buckets" {
  zone_id = data.aws_route53_zone.main.zone_id
  name    = "*.${var.s3_host}"
  type    = "A"

  alias {
    name                   = aws_lb.s3.dns_name
    zone_id                = aws_lb.s3.zone_id
    evaluate_target_health = true
  }
}
