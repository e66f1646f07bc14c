# Zones come from the region (names differ by region and account: ap-northeast-1 offers a, c and d; us-west-1 two), never from a pattern.
data "aws_availability_zones" "available" {
  # checkov:skip=CKV_AWS_394:the deployment takes the first zone_count zones in name order, so a zone AWS adds (a later letter) does not change them; network.availabilityZones pins them by name
  state = "available"

  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }

  lifecycle {
    postcondition {
      condition     = length(self.names) >= var.zone_count
      error_message = "The region offers ${length(self.names)} available zones; the deployment needs ${var.zone_count}: set network.zoneCount to 2 or choose another region."
    }

    postcondition {
      condition     = alltrue([for zone in var.availability_zones : contains(self.names, zone)])
      error_message = "network.availabilityZones names zones the region does not offer as available: the available zones are ${join(", ", self.names)}."
    }
  }
}

locals {
  available_zones = sort(data.aws_availability_zones.available.names)
  zones = length(var.availability_zones) > 0 ? var.availability_zones : slice(
    local.available_zones,
    0,
    min(var.zone_count, length(local.available_zones)),
  )
}

resource "aws_vpc" "main" {
  cidr_block           = var.vpc_cidr
  enable_dns_support   = true
  enable_dns_hostnames = true

  tags = {
    Name = local.name
  }
}

# The VPC's default security group allows nothing; every resource has its own group.
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id

  tags = {
    Name = local.name
  }
}

resource "aws_subnet" "public" {
  count = var.zone_count

  vpc_id                  = aws_vpc.main.id
  availability_zone       = local.zones[count.index]
  cidr_block              = var.public_subnet_cidrs[count.index]
  map_public_ip_on_launch = false

  tags = {
    Name = "${local.name}-public-${local.zones[count.index]}"
    Tier = "public"
  }
}

resource "aws_subnet" "private" {
  count = var.zone_count

  vpc_id                  = aws_vpc.main.id
  availability_zone       = local.zones[count.index]
  cidr_block              = var.private_subnet_cidrs[count.index]
  map_public_ip_on_launch = false

  tags = {
    Name = "${local.name}-private-${local.zones[count.index]}"
    Tier = "private"
  }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id

  tags = {
    Name = "${local.name}-public"
  }
}

resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main.id
}

resource "aws_route_table_association" "public" {
  count = var.zone_count

  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

# One NAT gateway serves all zones.
resource "aws_eip" "nat" {
  count = 1

  domain = "vpc"

  tags = {
    Name = "${local.name}-nat-${local.zones[count.index]}"
  }

  depends_on = [aws_internet_gateway.main]
}

resource "aws_nat_gateway" "main" {
  count = 1

  allocation_id = aws_eip.nat[count.index].id
  subnet_id     = aws_subnet.public[count.index].id

  tags = {
    Name = "${local.name}-${local.zones[count.index]}"
  }

  depends_on = [aws_internet_gateway.main]
}

resource "aws_route_table" "private" {
  count = var.zone_count

  vpc_id = aws_vpc.main.id

  tags = {
    Name = "${local.name}-private-${local.zones[count.index]}"
  }
}

resource "aws_route" "private_nat" {
  count = var.zone_count

  route_table_id         = aws_route_table.private[count.index].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.main[0].id
}

resource "aws_route_table_association" "private" {
  count = var.zone_count

  subnet_id      = aws_subnet.private[count.index].id
  route_table_id = aws_route_table.private[count.index].id
}

# S3 traffic of every private subnet stays inside AWS.
resource "aws_vpc_endpoint" "s3" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.${var.region}.s3"
  vpc_endpoint_type = "Gateway"
  route_table_ids   = aws_route_table.private[*].id

  tags = {
    Name = "${local.name}-s3"
  }
}

resource "aws_security_group" "endpoints" {
  name        = "s3-gateway-prod-endpoints"
  description = "HTTPS from the VPC to the interface endpoints"
  vpc_id      = aws_vpc.main.id

  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }

  tags = {
    Name = "s3-gateway-prod-endpoints"
  }
}

# SSM, CloudWatch and friends answer inside the VPC, with private DNS names.
resource "aws_vpc_endpoint" "interface" {
  for_each = toset(var.interface_endpoints)

  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.${var.region}.${each.key}"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = aws_subnet.private[*].id
  security_group_ids  = [aws_security_group.endpoints.id]
  private_dns_enabled = true

  tags = {
    Name = "${local.name}-${each.key}"
  }
}

# Rejected traffic is logged for troubleshooting security groups.
resource "aws_flow_log" "vpc" {
  vpc_id                   = aws_vpc.main.id
  traffic_type             = "REJECT"
  log_destination_type     = "cloud-watch-logs"
  log_destination          = aws_cloudwatch_log_group.flow_logs.arn
  iam_role_arn             = aws_iam_role.flow_logs.arn
  max_aggregation_interval = 600

  tags = {
    Name = "${local.name}-rejects"
  }
}
