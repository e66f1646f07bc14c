# The deployment's logs are encrypted with a key of their own.
resource "aws_kms_key" "logs" {
  description             = "CloudWatch Logs of s3-gateway-prod"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministration"
        Effect    = "Allow"
        Principal = { AWS = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsOfThisDeployment"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.region}.amazonaws.com" }
        Action = [
          "kms:Decrypt*",
          "kms:Describe*",
          "kms:Encrypt*",
          "kms:GenerateDataKey*",
          "kms:ReEncrypt*",
        ]
        Resource = "*"
        Condition = {
          ArnLike = {
            "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/gateway/s3-gateway-prod/*"
          }
        }
      },
    ]
  })

  tags = {
    Name = "${local.name}-logs"
  }
}

resource "aws_kms_alias" "logs" {
  name          = "alias/s3-gateway-prod-logs"
  target_key_id = aws_kms_key.logs.key_id
}

# The system log of the instances.
resource "aws_cloudwatch_log_group" "node" {
  name              = "/gateway/s3-gateway-prod/node"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

# The access log of the proxies.
resource "aws_cloudwatch_log_group" "access" {
  name              = "/gateway/s3-gateway-prod/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

# The boot output of the instances.
resource "aws_cloudwatch_log_group" "boot" {
  name              = "/gateway/s3-gateway-prod/boot"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

# The proxy metrics imported by the CloudWatch agent.
resource "aws_cloudwatch_log_group" "metrics" {
  name              = "/gateway/s3-gateway-prod/metrics"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

# The rejected traffic in the VPC.
resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/gateway/s3-gateway-prod/vpc-flow-logs"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  alarm_name          = "s3-gateway-prod-unhealthy-hosts"
  alarm_description   = "At least one gateway instance fails the load balancer's health check."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  dimensions = {
    LoadBalancer = aws_lb.s3.arn_suffix
    TargetGroup  = aws_lb_target_group.proxy.arn_suffix
  }
}

resource "aws_cloudwatch_metric_alarm" "server_error_rate" {
  alarm_name          = "s3-gateway-prod-5xx-rate"
  alarm_description   = "More than 5% of S3 requests fail with a 5xx status."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "rate"
    label       = "5xx responses (%)"
    expression  = "IF(requests > 0, 100 * (FILL(target_5xx, 0) + FILL(lb_5xx, 0)) / requests, 0)"
    return_data = true
  }

  metric_query {
    id = "requests"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      stat        = "Sum"
      period      = 60
      dimensions = {
        LoadBalancer = aws_lb.s3.arn_suffix
      }
    }
  }

  metric_query {
    id = "target_5xx"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      stat        = "Sum"
      period      = 60
      dimensions = {
        LoadBalancer = aws_lb.s3.arn_suffix
      }
    }
  }

  metric_query {
    id = "lb_5xx"

    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_ELB_5XX_Count"
      stat        = "Sum"
      period      = 60
      dimensions = {
        LoadBalancer = aws_lb.s3.arn_suffix
      }
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "in_service_below_minimum" {
  alarm_name          = "s3-gateway-prod-in-service-below-minimum"
  alarm_description   = "Fewer instances are in service than the group's minimum size."
  namespace           = "AWS/AutoScaling"
  metric_name         = "GroupInServiceInstances"
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 5
  threshold           = var.asg_min_size
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "breaching"
  dimensions = {
    AutoScalingGroupName = aws_autoscaling_group.nodes.name
  }
}

resource "aws_cloudwatch_metric_alarm" "agents_not_reporting" {
  alarm_name          = "s3-gateway-prod-agents-not-reporting"
  alarm_description   = "In-service instances run without their CloudWatch agent reporting: their logs and metrics are missing. Look for gateway boot: lines in the instance boot log."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0.5
  evaluation_periods  = 3
  datapoints_to_alarm = 3
  treat_missing_data  = "breaching"

  metric_query {
    id          = "silent"
    label       = "In-service instances without a reporting agent"
    expression  = "in_service - FILL(agent_samples, 0) / 5"
    return_data = true
  }

  metric_query {
    id = "in_service"

    metric {
      namespace   = "AWS/AutoScaling"
      metric_name = "GroupInServiceInstances"
      stat        = "Average"
      period      = 300
      dimensions = {
        AutoScalingGroupName = aws_autoscaling_group.nodes.name
      }
    }
  }

  metric_query {
    id = "agent_samples"

    metric {
      namespace   = "CWAgent"
      metric_name = "mem_used_percent"
      stat        = "SampleCount"
      period      = 300
      dimensions = {
        AutoScalingGroupName = aws_autoscaling_group.nodes.name
      }
    }
  }
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = "s3-gateway-prod"
  dashboard_body = jsonencode({
    widgets = [
      {
        type   = "metric"
        x      = 0
        y      = 0
        width  = 12
        height = 6
        properties = {
          title  = "Requests and errors"
          region = var.region
          period = 60
          view   = "timeSeries"
          metrics = [
            [
              "AWS/ApplicationELB",
              "RequestCount",
              "LoadBalancer",
              aws_lb.s3.arn_suffix,
              { stat = "Sum" },
            ],
            [
              "AWS/ApplicationELB",
              "HTTPCode_Target_5XX_Count",
              "LoadBalancer",
              aws_lb.s3.arn_suffix,
              { stat = "Sum" },
            ],
            [
              "AWS/ApplicationELB",
              "HTTPCode_Target_4XX_Count",
              "LoadBalancer",
              aws_lb.s3.arn_suffix,
              { stat = "Sum" },
            ],
          ]
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 0
        width  = 12
        height = 6
        properties = {
          title  = "Response time (seconds)"
          region = var.region
          period = 60
          view   = "timeSeries"
          metrics = [
            [
              "AWS/ApplicationELB",
              "TargetResponseTime",
              "LoadBalancer",
              aws_lb.s3.arn_suffix,
              { stat = "p50" },
            ],
            [
              "AWS/ApplicationELB",
              "TargetResponseTime",
              "LoadBalancer",
              aws_lb.s3.arn_suffix,
              { stat = "p99" },
            ],
          ]
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 6
        width  = 12
        height = 6
        properties = {
          title  = "Target health"
          region = var.region
          period = 60
          view   = "timeSeries"
          metrics = [
            [
              "AWS/ApplicationELB",
              "HealthyHostCount",
              "LoadBalancer",
              aws_lb.s3.arn_suffix,
              "TargetGroup",
              aws_lb_target_group.proxy.arn_suffix,
              { stat = "Minimum" },
            ],
            [
              "AWS/ApplicationELB",
              "UnHealthyHostCount",
              "LoadBalancer",
              aws_lb.s3.arn_suffix,
              "TargetGroup",
              aws_lb_target_group.proxy.arn_suffix,
              { stat = "Maximum" },
            ],
          ]
        }
      },
      {
        type   = "metric"
        x      = 12
        y      = 6
        width  = 12
        height = 6
        properties = {
          title  = "Instances"
          region = var.region
          period = 60
          view   = "timeSeries"
          metrics = [
            [
              "AWS/AutoScaling",
              "GroupInServiceInstances",
              "AutoScalingGroupName",
              aws_autoscaling_group.nodes.name,
              { stat = "Minimum" },
            ],
            [
              "AWS/AutoScaling",
              "GroupDesiredCapacity",
              "AutoScalingGroupName",
              aws_autoscaling_group.nodes.name,
              { stat = "Maximum" },
            ],
            [
              "AWS/EC2",
              "CPUUtilization",
              "AutoScalingGroupName",
              aws_autoscaling_group.nodes.name,
              { stat = "Average" },
            ],
          ]
        }
      },
      {
        type   = "metric"
        x      = 0
        y      = 12
        width  = 12
        height = 6
        properties = {
          title  = "Proxy responses by status class"
          region = var.region
          period = 60
          view   = "timeSeries"
          metrics = [
            [
              var.metrics_namespace,
              "gateway_proxy_requests_total",
              "deployment",
              local.name,
              "status_class",
              "2xx",
              { stat = "Sum" },
            ],
            [
              var.metrics_namespace,
              "gateway_proxy_requests_total",
              "deployment",
              local.name,
              "status_class",
              "3xx",
              { stat = "Sum" },
            ],
            [
              var.metrics_namespace,
              "gateway_proxy_requests_total",
              "deployment",
              local.name,
              "status_class",
              "4xx",
              { stat = "Sum" },
            ],
            [
              var.metrics_namespace,
              "gateway_proxy_requests_total",
              "deployment",
              local.name,
              "status_class",
              "5xx",
              { stat = "Sum" },
            ],
          ]
        }
      },
    ]
  })
}
