variable "region" {
  description = "AWS region of the deployment."
  type        = string
}

variable "tags" {
  description = "Extra tags on every resource (the deployment tags are added)."
  type        = map(string)
}

variable "zone_count" {
  description = "How many availability zones the deployment spans (2 or 3)."
  type        = number

  validation {
    condition     = contains([2, 3], var.zone_count)
    error_message = "zone_count must be 2 or 3."
  }
}

variable "availability_zones" {
  description = "Zones in subnet order; empty: the region's first zone_count available zones that need no opt-in."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) == 0 || length(var.availability_zones) == var.zone_count
    error_message = "Name zone_count zones, or none to use the region's first available zones."
  }
}

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0))
    error_message = "The VPC CIDR must be an IPv4 CIDR such as 10.10.0.0/16."
  }
}

variable "private_subnet_cidrs" {
  description = "Private subnets of the instances, one per zone."
  type        = list(string)

  validation {
    condition     = length(var.private_subnet_cidrs) == var.zone_count
    error_message = "Give one private subnet per zone (zone_count)."
  }
}

variable "public_subnet_cidrs" {
  description = "Public subnets of the load balancer and NAT, one per zone."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_cidrs) == var.zone_count
    error_message = "Give one public subnet per zone (zone_count)."
  }
}

variable "interface_endpoints" {
  description = "Services reached through interface VPC endpoints in the private subnets."
  type        = list(string)
}

variable "ami_id" {
  description = "The gateway image (built with `gw-cli ami build`)."
  type        = string

  validation {
    condition     = can(regex("^ami-[0-9a-f]{8,17}$", var.ami_id))
    error_message = "ami_id must be an AMI id such as ami-0123456789abcdef0: build one with `gw-cli ami build` or set compute.amiId."
  }
}

variable "instance_types" {
  description = "Instance types with NVMe instance storage; the first is the primary type."
  type        = list(string)

  validation {
    condition     = length(var.instance_types) >= 1
    error_message = "Give at least one instance type."
  }
}

variable "on_demand_base_capacity" {
  description = "On-demand instances before any spot capacity."
  type        = number
}

variable "on_demand_percentage_above_base" {
  description = "Percentage of on-demand instances above the base (100 means no spot)."
  type        = number

  validation {
    condition     = var.on_demand_percentage_above_base >= 0 && var.on_demand_percentage_above_base <= 100
    error_message = "on_demand_percentage_above_base must be between 0 and 100."
  }
}

variable "spot_allocation_strategy" {
  description = "How spot capacity is chosen."
  type        = string
}

variable "asg_min_size" {
  description = "Minimum number of instances."
  type        = number

  validation {
    condition     = var.asg_min_size >= 0
    error_message = "asg_min_size must be 0 or more."
  }
}

variable "asg_desired_capacity" {
  description = "Desired number of instances."
  type        = number
}

variable "asg_max_size" {
  description = "Maximum number of instances."
  type        = number

  validation {
    condition     = var.asg_max_size >= 1
    error_message = "asg_max_size must be at least 1."
  }
}

variable "health_check_grace_period" {
  description = "Seconds after launch before load balancer health checks count."
  type        = number
}

variable "root_volume_size" {
  description = "Root volume size in GiB."
  type        = number
}

variable "root_volume_type" {
  description = "Root volume type."
  type        = string
}

variable "detailed_monitoring" {
  description = "One-minute EC2 metrics."
  type        = bool
}

variable "load_balancer_internal" {
  description = "An internal load balancer in the private subnets instead of a public one."
  type        = bool
}

variable "allowed_cidrs" {
  description = "Client networks allowed to reach the S3 endpoint."
  type        = list(string)
}

variable "tls_policy" {
  description = "TLS policy of the HTTPS listener (TLS 1.2 or newer only)."
  type        = string

  validation {
    condition     = can(regex("^ELBSecurityPolicy-(TLS13-1-[23]|TLS-1-2|FS-1-2)-", var.tls_policy))
    error_message = "tls_policy must allow only TLS 1.2 and newer, e.g. ELBSecurityPolicy-TLS13-1-2-2021-06."
  }
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion."
  type        = bool
}

variable "proxy_port" {
  description = "Port of the balancing proxy on each instance (the target port)."
  type        = number
}

variable "proxy_health_path" {
  description = "The proxy's health path, probed by the load balancer."
  type        = string
}

variable "health_check_interval" {
  description = "Seconds between load balancer health checks."
  type        = number
}

variable "health_check_timeout" {
  description = "Seconds a health check may take."
  type        = number
}

variable "healthy_threshold" {
  description = "Consecutive successes before an instance is healthy."
  type        = number
}

variable "unhealthy_threshold" {
  description = "Consecutive failures before an instance is unhealthy."
  type        = number
}

variable "deregistration_delay" {
  description = "Seconds a deregistering instance keeps serving requests in flight."
  type        = number
}

variable "idle_timeout" {
  description = "Seconds a connection may stay silent (slow S3 operations such as CompleteMultipartUpload)."
  type        = number
}

variable "s3_host" {
  description = "Host name of the S3 endpoint; buckets are also served as <bucket>.<s3_host>."
  type        = string
}

variable "zone_name" {
  description = "Route53 public hosted zone of the S3 host."
  type        = string
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the deployment's logs."
  type        = number
}

variable "metrics_namespace" {
  description = "CloudWatch namespace the proxies publish to."
  type        = string
}

variable "refresh_min_healthy_percentage" {
  description = "Share of the group kept in service while instances are replaced."
  type        = number
}

variable "refresh_checkpoints" {
  description = "Percentages of replaced instances at which a refresh pauses."
  type        = list(number)
}

variable "refresh_checkpoint_delay" {
  description = "Seconds a refresh waits at each checkpoint."
  type        = number
}

variable "instance_warmup" {
  description = "Seconds a new instance needs before it counts as in service."
  type        = number
}

variable "refresh_auto_rollback" {
  description = "Roll back a failed instance refresh."
  type        = bool
}

locals {
  name           = "s3-gateway-prod"
  parameter_path = "/gateway/s3-gateway-prod"

  tags = merge(var.tags, {
    Project     = "s3-gateway"
    Environment = "prod"
    Deployment  = "s3-gateway-prod"
    ManagedBy   = "gw-cli"
  })
}
