resource "aws_security_group" "load_balancer" {
  name        = "s3-gateway-prod-lb"
  description = "S3 clients to the ALB, and the load balancer to the proxies"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "s3-gateway-prod-lb"
  }
}

resource "aws_vpc_security_group_ingress_rule" "load_balancer_https" {
  for_each = toset(var.allowed_cidrs)

  security_group_id = aws_security_group.load_balancer.id
  description       = "S3 over HTTPS from allowed clients"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "load_balancer_to_nodes" {
  security_group_id            = aws_security_group.load_balancer.id
  description                  = "Requests and health checks to the proxies"
  referenced_security_group_id = aws_security_group.nodes.id
  ip_protocol                  = "tcp"
  from_port                    = var.proxy_port
  to_port                      = var.proxy_port
}

resource "aws_lb" "s3" {
  # checkov:skip=CKV2_AWS_28:WAF rule sets inspect and limit request bodies, which breaks signed S3 uploads; access is limited by loadBalancer.allowedCidrs
  name                       = "s3-gateway-prod-s3"
  load_balancer_type         = "application"
  internal                   = var.load_balancer_internal
  subnets                    = var.load_balancer_internal ? aws_subnet.private[*].id : aws_subnet.public[*].id
  security_groups            = [aws_security_group.load_balancer.id]
  enable_deletion_protection = var.deletion_protection
  idle_timeout               = var.idle_timeout
  drop_invalid_header_fields = true
  desync_mitigation_mode     = "defensive"
  enable_http2               = true

  access_logs {
    bucket  = aws_s3_bucket.lb_logs.id
    prefix  = "s3-endpoint"
    enabled = true
  }

  tags = {
    Name = "s3-gateway-prod-s3"
  }

  depends_on = [aws_internet_gateway.main, aws_s3_bucket_policy.lb_logs]
}

# The proxies answer the health path themselves; it cannot collide with a bucket name.
resource "aws_lb_target_group" "proxy" {
  name                          = "s3-gateway-prod-proxy"
  port                          = var.proxy_port
  protocol                      = "HTTP"
  target_type                   = "instance"
  vpc_id                        = aws_vpc.main.id
  deregistration_delay          = var.deregistration_delay
  load_balancing_algorithm_type = "least_outstanding_requests"

  health_check {
    enabled             = true
    protocol            = "HTTP"
    path                = var.proxy_health_path
    port                = "traffic-port"
    matcher             = "200"
    interval            = var.health_check_interval
    timeout             = var.health_check_timeout
    healthy_threshold   = var.healthy_threshold
    unhealthy_threshold = var.unhealthy_threshold
  }

  tags = {
    Name = "s3-gateway-prod-proxy"
  }
}

resource "aws_lb_listener" "tls" {
  load_balancer_arn = aws_lb.s3.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.tls_policy
  certificate_arn   = aws_acm_certificate_validation.s3.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.proxy.arn
  }
}
