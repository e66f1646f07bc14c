# The deployment's logs are encrypted with a key of their own.
resource "aws_kms_key" "logs" {
  description             = "CloudWatch Logs of media-gw-staging"
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
            "kms:EncryptionContext:aws:logs:arn" = "arn:${data.aws_partition.current.partition}:logs:${var.region}:${data.aws_caller_identity.current.account_id}:log-group:/gateway/media-gw-staging/*"
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
  name          = "alias/media-gw-staging-logs"
  target_key_id = aws_kms_key.logs.key_id
}

# The system log of the instances.
resource "aws_cloudwatch_log_group" "node" {
  name              = "/gateway/media-gw-staging/node"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

# The access log of the proxies.
resource "aws_cloudwatch_log_group" "access" {
  name              = "/gateway/media-gw-staging/access"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

# The boot output of the instances.
resource "aws_cloudwatch_log_group" "boot" {
  name              = "/gateway/media-gw-staging/boot"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

# The proxy metrics imported by the CloudWatch agent.
resource "aws_cloudwatch_log_group" "metrics" {
  name              = "/gateway/media-gw-staging/metrics"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

# The rejected traffic in the VPC.
resource "aws_cloudwatch_log_group" "flow_logs" {
  name              = "/gateway/media-gw-staging/vpc-flow-logs"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.logs.arn
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  alarm_name          = "media-gw-staging-unhealthy-hosts"
  alarm_description   = "At least one gateway instance fails the load balancer's health check."
  namespace           = "AWS/NetworkELB"
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
  alarm_actions = [var.alarm_topic_arn]
  ok_actions    = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "server_error_rate" {
  alarm_name          = "media-gw-staging-5xx-rate"
  alarm_description   = "More than 5% of S3 requests fail with a 5xx status."
  comparison_operator = "GreaterThanThreshold"
  threshold           = 5
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "rate"
    label       = "5xx responses (%)"
    expression  = "IF(FILL(r2xx, 0) + FILL(r3xx, 0) + FILL(r4xx, 0) + FILL(r5xx, 0) > 0, 100 * FILL(r5xx, 0) / (FILL(r2xx, 0) + FILL(r3xx, 0) + FILL(r4xx, 0) + FILL(r5xx, 0)), 0)"
    return_data = true
  }

  metric_query {
    id = "r2xx"

    metric {
      namespace   = var.metrics_namespace
      metric_name = "gateway_proxy_requests_total"
      stat        = "Sum"
      period      = 60
      dimensions = {
        deployment   = local.name
        status_class = "2xx"
      }
    }
  }

  metric_query {
    id = "r3xx"

    metric {
      namespace   = var.metrics_namespace
      metric_name = "gateway_proxy_requests_total"
      stat        = "Sum"
      period      = 60
      dimensions = {
        deployment   = local.name
        status_class = "3xx"
      }
    }
  }

  metric_query {
    id = "r4xx"

    metric {
      namespace   = var.metrics_namespace
      metric_name = "gateway_proxy_requests_total"
      stat        = "Sum"
      period      = 60
      dimensions = {
        deployment   = local.name
        status_class = "4xx"
      }
    }
  }

  metric_query {
    id = "r5xx"

    metric {
      namespace   = var.metrics_namespace
      metric_name = "gateway_proxy_requests_total"
      stat        = "Sum"
      period      = 60
      dimensions = {
        deployment   = local.name
        status_class = "5xx"
      }
    }
  }

  alarm_actions = [var.alarm_topic_arn]
  ok_actions    = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "in_service_below_minimum" {
  alarm_name          = "media-gw-staging-in-service-below-minimum"
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
  alarm_actions = [var.alarm_topic_arn]
  ok_actions    = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_metric_alarm" "agents_not_reporting" {
  alarm_name          = "media-gw-staging-agents-not-reporting"
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

  alarm_actions = [var.alarm_topic_arn]
  ok_actions    = [var.alarm_topic_arn]
}

resource "aws_cloudwatch_dashboard" "main" {
  dashboard_name = "media-gw-staging"
  dashboard_body = jsonencode({
    widgets = [
      {
        type   = "metric"
        x      = 0
        y      = 0
        width  = 12
        height = 6
        properties = {
          title  = "Connections and traffic"
          region = var.region
          period = 60
          view   = "timeSeries"
          metrics = [
            [
              "AWS/NetworkELB",
              "NewFlowCount_TLS",
              "LoadBalancer",
              aws_lb.s3.arn_suffix,
              { stat = "Sum" },
            ],
            [
              "AWS/NetworkELB",
              "ProcessedBytes_TLS",
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
          title  = "Target health"
          region = var.region
          period = 60
          view   = "timeSeries"
          metrics = [
            [
              "AWS/NetworkELB",
              "HealthyHostCount",
              "LoadBalancer",
              aws_lb.s3.arn_suffix,
              "TargetGroup",
              aws_lb_target_group.proxy.arn_suffix,
              { stat = "Minimum" },
            ],
            [
              "AWS/NetworkELB",
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
        x      = 0
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
        x      = 12
        y      = 6
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
