# Values of the gateway image build, rendered by gw-cli 0.1.0; render again instead of editing.
region                    = "eu-west-1"
project                   = "media-gw"
deployment                = "media-gw-staging"
ami_name_prefix           = "media-gw-node"
instance_type             = "c6id.large"
architecture              = "x86_64"
base_image_filter         = "ubuntu-minimal/images/hvm-ssd-gp3/ubuntu-noble-24.04-*-minimal-*"
base_image_owner          = "099720109477"
root_volume_size          = 40
gateway_version           = "0.1.0"
lucidlink_client_versions = [2, 3]
lucidlink_version         = "3.2.6817"
lucidlink_sha256          = "9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0"
lucidlink_v2_url          = "https://www.lucidlink.com/download/latest/lin64/stable/"
lucidlink_v3_url          = "https://www.lucidlink.com/download/new-ll-latest/linux-deb/stable/"
versitygw_version         = "1.0.16"
versitygw_sha256          = "0d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4"
