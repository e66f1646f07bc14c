output "s3_endpoint" {
  description = "The S3 endpoint URL (path-style requests)."
  value       = "https://${var.s3_host}"
}

output "s3_virtual_host_pattern" {
  description = "Virtual-host-style URL of a bucket; replace {bucket}."
  value       = "https://{bucket}.${var.s3_host}"
}

output "bucket_mapping" {
  description = "How the S3 buckets map to the LucidLink filespaces (gateway.buckets)."
  value       = "one bucket per filespace: projects = projects.mediaco:/, archive = archive.mediaco:/cold storage/2024, legacy = legacy.mediaco:/"
}

output "filespace_buckets" {
  description = "Each bucket and the filespace (with its root point) it serves."
  value = {
    projects = "projects.mediaco:/"
    archive  = "archive.mediaco:/cold storage/2024"
    legacy   = "legacy.mediaco:/"
  }
}

output "load_balancer_dns_name" {
  description = "DNS name of the load balancer (the alias target of the S3 host)."
  value       = aws_lb.s3.dns_name
}

output "load_balancer_zone_id" {
  description = "Hosted zone id of the load balancer, for alias records."
  value       = aws_lb.s3.zone_id
}

output "autoscaling_group_name" {
  description = "The Auto Scaling Group of the gateway instances."
  value       = aws_autoscaling_group.nodes.name
}

output "target_group_arn" {
  description = "The target group the instances register with."
  value       = aws_lb_target_group.proxy.arn
}

output "ami_id" {
  description = "The image the instances run."
  value       = var.ami_id
}

output "certificate_arn" {
  description = "The TLS certificate of the listener."
  value       = aws_acm_certificate_validation.s3.certificate_arn
}

output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.main.id
}

output "availability_zones" {
  description = "The zones of the subnets, in subnet order (read from the region unless the config names them)."
  value       = local.zones
}

output "private_subnet_ids" {
  description = "Subnets of the instances."
  value       = aws_subnet.private[*].id
}

output "public_subnet_ids" {
  description = "Subnets of the load balancer and NAT gateways."
  value       = aws_subnet.public[*].id
}

output "nat_gateway_ids" {
  description = "The NAT gateways."
  value       = aws_nat_gateway.main[*].id
}

output "instance_role_name" {
  description = "IAM role of the instances."
  value       = aws_iam_role.node.name
}

output "parameter_path" {
  description = "SSM path the instances read their secrets from."
  value       = local.parameter_path
}

output "log_group_names" {
  description = "CloudWatch log groups of the instances."
  value = {
    node    = aws_cloudwatch_log_group.node.name
    access  = aws_cloudwatch_log_group.access.name
    boot    = aws_cloudwatch_log_group.boot.name
    metrics = aws_cloudwatch_log_group.metrics.name
  }
}
