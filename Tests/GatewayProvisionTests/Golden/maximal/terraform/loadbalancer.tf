resource "aws_security_group" "load_balancer" {
  name        = "media-gw-staging-lb"
  description = "S3 clients to the NLB, and the load balancer to the proxies"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "media-gw-staging-lb"
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
  name                             = "media-gw-staging-s3"
  load_balancer_type               = "network"
  internal                         = var.load_balancer_internal
  subnets                          = var.load_balancer_internal ? aws_subnet.private[*].id : aws_subnet.public[*].id
  security_groups                  = [aws_security_group.load_balancer.id]
  enable_deletion_protection       = var.deletion_protection
  enable_cross_zone_load_balancing = var.cross_zone_load_balancing

  access_logs {
    bucket  = aws_s3_bucket.lb_logs.id
    prefix  = "s3-endpoint"
    enabled = true
  }

  tags = {
    Name = "media-gw-staging-s3"
  }

  depends_on = [aws_internet_gateway.main, aws_s3_bucket_policy.lb_logs]
}

# The proxies answer the health path themselves; it cannot collide with a bucket name.
resource "aws_lb_target_group" "proxy" {
  name                   = "media-gw-staging-proxy"
  port                   = var.proxy_port
  protocol               = "TCP"
  target_type            = "instance"
  vpc_id                 = aws_vpc.main.id
  deregistration_delay   = var.deregistration_delay
  connection_termination = true

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
    Name = "media-gw-staging-proxy"
  }
}

resource "aws_lb_listener" "tls" {
  load_balancer_arn = aws_lb.s3.arn
  port              = 443
  protocol          = "TLS"
  ssl_policy        = var.tls_policy
  certificate_arn   = aws_acm_certificate_validation.s3.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.proxy.arn
  }
}
