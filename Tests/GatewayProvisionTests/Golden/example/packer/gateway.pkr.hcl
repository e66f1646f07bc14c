# Gateway node image. Build it from this directory: packer init . && packer build .
# The values are in gateway.auto.pkrvars.hcl; the image holds no secret.
packer {
  required_plugins {
    amazon = {
      source  = "github.com/hashicorp/amazon"
      version = "~> 1.3"
    }
  }
}

variable "region" {
  type        = string
  description = "AWS region the image is built in."
}

variable "project" {
  type        = string
  description = "Project name, part of the image name."
}

variable "deployment" {
  type        = string
  description = "The deployment the image was built for (a tag; the image itself is generic)."
}

variable "ami_name_prefix" {
  type        = string
  description = "Image names are <prefix>-<project>-<timestamp>."
}

variable "instance_type" {
  type        = string
  description = "Instance type of the build instance."
}

variable "architecture" {
  type        = string
  description = "CPU architecture of the image: x86_64 or arm64."
}

variable "base_image_filter" {
  type        = string
  description = "Name filter of the Ubuntu minimal LTS base image."
}

variable "base_image_owner" {
  type        = string
  description = "Account that publishes the base image (Canonical)."
}

variable "root_volume_size" {
  type        = number
  description = "Root volume of the image in GiB."
}

variable "gateway_version" {
  type        = string
  description = "Version of gw-cli installed in the image."
}

variable "gw_cli_binary" {
  type        = string
  description = "Path of the Linux gw-cli binary to install (override with -var gw_cli_binary=PATH)."
  default     = "/usr/local/bin/gw-cli"
}

variable "lucidlink_client_versions" {
  type        = list(number)
  description = "LucidLink client major versions the filespaces need (2, 3)."
}

variable "lucidlink_version" {
  type        = string
  description = "Pinned LucidLink client package version, or latest."
}

variable "lucidlink_sha256" {
  type        = string
  description = "SHA-256 of the pinned LucidLink package; empty means not pinned."
}

variable "lucidlink_v2_url" {
  type        = string
  description = "Download of the LucidLink 2 client package."
}

variable "lucidlink_v3_url" {
  type        = string
  description = "Download of the LucidLink 3 client package."
}

variable "versitygw_version" {
  type        = string
  description = "Pinned VersityGW release."
}

variable "versitygw_sha256" {
  type        = string
  description = "SHA-256 of the VersityGW release archive; empty means not pinned."
}

variable "versitygw_url" {
  type        = string
  description = "Download of the VersityGW release archive; empty means the GitHub release of versitygw_version."
  default     = ""
}

variable "cloudwatch_agent_url" {
  type        = string
  description = "Download of the CloudWatch agent package; empty means AWS's latest package for the architecture."
  default     = ""
}

variable "cloudwatch_agent_sha256" {
  type        = string
  description = "SHA-256 of the CloudWatch agent package; empty means not pinned."
  default     = ""
}

locals {
  timestamp = regex_replace(timestamp(), "[- TZ:]", "")
  tags = {
    Name             = "${var.ami_name_prefix}-${var.project}"
    Project          = var.project
    Deployment       = var.deployment
    GatewayVersion   = var.gateway_version
    LucidLinkVersion = var.lucidlink_version
    VersityGWVersion = var.versitygw_version
    ManagedBy        = "gw-cli"
  }
}

source "amazon-ebs" "gateway" {
  region                                    = var.region
  instance_type                             = var.instance_type
  ami_name                                  = "${var.ami_name_prefix}-${var.project}-${local.timestamp}"
  ami_description                           = "S3 gateway node for LucidLink filespaces (gw-cli ${var.gateway_version})"
  ssh_username                              = "ubuntu"
  ebs_optimized                             = true
  encrypt_boot                              = true
  imds_support                              = "v2.0"
  shutdown_behavior                         = "terminate"
  temporary_security_group_source_public_ip = true
  tags                                      = local.tags
  snapshot_tags                             = local.tags
  run_tags = merge(local.tags, {
    Name = "packer-${var.ami_name_prefix}-${var.project}"
  })

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  source_ami_filter {
    filters = {
      architecture        = var.architecture
      name                = var.base_image_filter
      root-device-type    = "ebs"
      virtualization-type = "hvm"
    }
    owners      = [var.base_image_owner]
    most_recent = true
  }

  launch_block_device_mappings {
    device_name           = "/dev/sda1"
    volume_size           = var.root_volume_size
    volume_type           = "gp3"
    encrypted             = true
    delete_on_termination = true
  }
}

build {
  name    = "gateway"
  sources = ["source.amazon-ebs.gateway"]

  provisioner "shell" {
    inline = ["mkdir -p /tmp/gateway-node"]
  }

  provisioner "file" {
    source      = "${path.root}/../node/"
    destination = "/tmp/gateway-node"
  }

  provisioner "file" {
    source      = var.gw_cli_binary
    destination = "/tmp/gateway-node/gw-cli"
  }

  provisioner "shell" {
    script          = "${path.root}/scripts/provision.sh"
    execute_command = "sudo env {{ .Vars }} bash '{{ .Path }}'"
    timeout         = "30m"
    environment_vars = [
      "ARCHITECTURE=${var.architecture}",
      "STAGING=/tmp/gateway-node",
      "LUCIDLINK_CLIENT_VERSIONS=${join(" ", var.lucidlink_client_versions)}",
      "LUCIDLINK_VERSION=${var.lucidlink_version}",
      "LUCIDLINK_SHA256=${var.lucidlink_sha256}",
      "LUCIDLINK_V2_URL=${var.lucidlink_v2_url}",
      "LUCIDLINK_V3_URL=${var.lucidlink_v3_url}",
      "VERSITYGW_VERSION=${var.versitygw_version}",
      "VERSITYGW_SHA256=${var.versitygw_sha256}",
      "VERSITYGW_URL=${var.versitygw_url}",
      "CLOUDWATCH_AGENT_URL=${var.cloudwatch_agent_url}",
      "CLOUDWATCH_AGENT_SHA256=${var.cloudwatch_agent_sha256}",
    ]
  }

  post-processor "manifest" {
    output     = "${path.root}/packer-manifest.json"
    strip_path = true
    custom_data = {
      deployment        = var.deployment
      gateway_version   = var.gateway_version
      lucidlink_version = var.lucidlink_version
      versitygw_version = var.versitygw_version
    }
  }
}
