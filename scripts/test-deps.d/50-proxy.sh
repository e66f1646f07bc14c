# Balancing proxy tests (Tests/GatewayNodeTests): socat relays in front of one moto server,
# real S3 clients (awscli, boto3) and moto's S3 server with signature checking.
APT_PACKAGES+=(socat curl)
PIP_PACKAGES+=('moto[server]' boto3 awscli)
