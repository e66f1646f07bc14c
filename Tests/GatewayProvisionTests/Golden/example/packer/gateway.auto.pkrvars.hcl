# Values of the gateway image build, rendered by gw-cli 0.1.0; render again instead of editing.
region                    = "us-east-1"
project                   = "s3-gateway"
deployment                = "s3-gateway-prod"
ami_name_prefix           = "ll-s3-gw"
instance_type             = "c6id.4xlarge"
architecture              = "x86_64"
base_image_filter         = "ubuntu-minimal/images/hvm-ssd-gp3/ubuntu-noble-24.04-*-minimal-*"
base_image_owner          = "099720109477"
root_volume_size          = 40
gateway_version           = "0.1.0"
lucidlink_client_versions = [3]
lucidlink_version         = "3.2.6817"
lucidlink_sha256          = ""
lucidlink_v2_url          = "https://www.lucidlink.com/download/latest/lin64/stable/"
lucidlink_v3_url          = "https://www.lucidlink.com/download/new-ll-latest/linux-deb/stable/"
versitygw_version         = "1.0.14"
versitygw_sha256          = ""
