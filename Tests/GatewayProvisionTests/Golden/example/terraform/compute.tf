resource "aws_security_group" "nodes" {
  name        = "s3-gateway-prod-nodes"
  description = "Gateway instances: proxy port from the load balancer, HTTPS out"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "s3-gateway-prod-nodes"
  }
}

resource "aws_vpc_security_group_ingress_rule" "nodes_from_load_balancer" {
  security_group_id            = aws_security_group.nodes.id
  description                  = "Requests and health checks from the load balancer"
  referenced_security_group_id = aws_security_group.load_balancer.id
  ip_protocol                  = "tcp"
  from_port                    = var.proxy_port
  to_port                      = var.proxy_port
}

resource "aws_vpc_security_group_egress_rule" "nodes_https" {
  security_group_id = aws_security_group.nodes.id
  description       = "HTTPS to LucidLink, AWS APIs and package mirrors"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

# The boot script installs this deployment's node config and units; it holds no secret.
resource "aws_launch_template" "node" {
  name                                 = "s3-gateway-prod-node"
  description                          = "Gateway instances of s3-gateway-prod"
  image_id                             = var.ami_id
  ebs_optimized                        = true
  update_default_version               = true
  instance_initiated_shutdown_behavior = "terminate"
  vpc_security_group_ids               = [aws_security_group.nodes.id]
  user_data                            = filebase64("${path.module}/../node/user-data.sh")

  iam_instance_profile {
    arn = aws_iam_instance_profile.node.arn
  }

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "enabled"
  }

  monitoring {
    enabled = var.detailed_monitoring
  }

  block_device_mappings {
    device_name = "/dev/sda1"

    ebs {
      volume_size           = var.root_volume_size
      volume_type           = var.root_volume_type
      encrypted             = true
      delete_on_termination = true
    }
  }

  dynamic "block_device_mappings" {
    for_each = ["sdb", "sdc", "sdd", "sde"]

    content {
      device_name  = "/dev/${block_device_mappings.value}"
      virtual_name = "ephemeral${block_device_mappings.key}"
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags = merge(local.tags, {
      Name = "${local.name}-node"
    })
  }

  tag_specifications {
    resource_type = "volume"
    tags = merge(local.tags, {
      Name = "${local.name}-node"
    })
  }

  tags = {
    Name = "s3-gateway-prod-node"
  }
}

# Replacing the launch template (a new AMI or boot script) rolls the group with an instance refresh.
resource "aws_autoscaling_group" "nodes" {
  name                      = "s3-gateway-prod-asg"
  min_size                  = var.asg_min_size
  max_size                  = var.asg_max_size
  desired_capacity          = var.asg_desired_capacity
  vpc_zone_identifier       = aws_subnet.private[*].id
  target_group_arns         = [aws_lb_target_group.proxy.arn]
  health_check_type         = "ELB"
  health_check_grace_period = var.health_check_grace_period
  default_instance_warmup   = var.instance_warmup
  capacity_rebalance        = false
  wait_for_capacity_timeout = "20m"
  metrics_granularity       = "1Minute"
  enabled_metrics = [
    "GroupDesiredCapacity",
    "GroupInServiceInstances",
    "GroupMaxSize",
    "GroupMinSize",
    "GroupPendingInstances",
    "GroupTerminatingInstances",
  ]

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = var.on_demand_base_capacity
      on_demand_percentage_above_base_capacity = var.on_demand_percentage_above_base
      spot_allocation_strategy                 = var.spot_allocation_strategy
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.node.id
        version            = aws_launch_template.node.latest_version
      }

      dynamic "override" {
        for_each = var.instance_types

        content {
          instance_type = override.value
        }
      }
    }
  }

  instance_refresh {
    strategy = "Rolling"

    preferences {
      min_healthy_percentage = var.refresh_min_healthy_percentage
      checkpoint_percentages = var.refresh_checkpoints
      checkpoint_delay       = var.refresh_checkpoint_delay
      instance_warmup        = var.instance_warmup
      auto_rollback          = var.refresh_auto_rollback
    }
  }

  dynamic "tag" {
    for_each = merge(local.tags, {
      Name = "${local.name}-node"
    })

    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = false
    }
  }

  depends_on = [
    aws_route.private_nat,
    aws_vpc_endpoint.interface,
    aws_cloudwatch_log_group.node,
  ]
}
