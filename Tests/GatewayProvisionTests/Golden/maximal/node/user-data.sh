#!/bin/bash
# Boot script of the gateway instances of media-gw-staging, rendered by gw-cli 0.1.0.
# It installs the node config and systemd units of this deployment and starts the gateway.
# It holds no secret: gateway-node-setup.service reads them from SSM under /gateway/media-gw-staging.
set -euo pipefail
umask 022

# write_file MODE PATH: replaces PATH with standard input, atomically.
write_file() {
    local temporary
    temporary=$(mktemp "$2.XXXXXX")
    cat >"$temporary"
    chmod "$1" "$temporary"
    mv -f "$temporary" "$2"
}

install -d -m 0755 /etc/gateway /etc/systemd/system
write_file 0644 /etc/gateway/node.json <<'GATEWAY_FILE_END'
{
  "deployment": "media-gw-staging",
  "filespaces": [
    {
      "clientVersion": 3,
      "instanceId": 2001,
      "mountName": "projects",
      "mountPoint": "/media/lucidlink/projects",
      "name": "projects.mediaco",
      "password": "ssm:/gateway/media-gw-staging/filespaces/0/password",
      "rootPoint": "/",
      "user": "gateway+projects@media.example.org"
    },
    {
      "clientVersion": 3,
      "instanceId": 2002,
      "mountName": "archive",
      "mountPoint": "/media/lucidlink/archive",
      "name": "archive.mediaco",
      "password": "ssm:/gateway/media-gw-staging/filespaces/1/password",
      "rootPoint": "/cold storage/2024",
      "user": "gateway@media.example.org"
    },
    {
      "clientVersion": 2,
      "instanceId": 501,
      "mountName": "legacy",
      "mountPoint": "/media/lucidlink/legacy",
      "name": "legacy.mediaco",
      "password": "ssm:/gateway/media-gw-staging/filespaces/2/password",
      "rootPoint": "/",
      "user": "legacy-user"
    }
  ],
  "gateways": {
    "dataRoot": "/media/lucidlink/projects",
    "environment": {
      "GATEWAY_NOTE": "100% \"quoted\" ${HOME} %{x} $PATH \\ end",
      "GOGC": "50",
      "GOMEMLIMIT": "6GiB"
    },
    "healthPath": "/health",
    "iamDir": "/media/lucidlink/projects/.vgw",
    "ports": [
      7100,
      7101,
      7102,
      7103
    ],
    "rootAccessKey": "ssm:/gateway/media-gw-staging/gateway/rootAccessKey",
    "rootSecretKey": "ssm:/gateway/media-gw-staging/gateway/rootSecretKey",
    "virtualDomain": "storage.media.example.org"
  },
  "metrics": {
    "cloudWatch": true,
    "namespace": "MediaGateway",
    "prometheus": true,
    "publishIntervalSeconds": 60
  },
  "proxy": {
    "accessLog": "/var/log/gateway/s3-access.log",
    "connectTimeoutSeconds": 2,
    "drainSeconds": 45,
    "fall": 3,
    "healthIntervalSeconds": 2,
    "healthPath": "/_gateway/health",
    "healthTimeoutSeconds": 1,
    "idleTimeoutSeconds": 60,
    "listenPort": 8080,
    "maxConnections": 50000,
    "metricsPort": 9100,
    "minHealthyBackends": 1,
    "policy": "p2c",
    "responseTimeoutSeconds": 900,
    "rise": 2
  },
  "region": "eu-west-1",
  "storage": {
    "cacheMaxGiB": 1500,
    "cacheMinGiB": 50,
    "cacheMountPoint": "/cache",
    "cacheSharePercent": 90,
    "filesystem": "xfs",
    "mountOptions": "defaults,noatime,largeio,swalloc",
    "raidChunkKiB": 256
  },
  "version": 1
}
GATEWAY_FILE_END

write_file 0644 /etc/systemd/system/gateway-node-setup.service <<'GATEWAY_FILE_END'
# Rendered by gw-cli 0.1.0 for media-gw-staging; edit the config and render again instead.

[Unit]
Description=Gateway node setup: cache storage, secrets and directories
Wants=network-online.target
After=network-online.target
PartOf=gateway.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/bin/gw-cli node apply /etc/gateway/node.json
TimeoutStartSec=900
GATEWAY_FILE_END

write_file 0644 /etc/systemd/system/lucidlink-projects.service <<'GATEWAY_FILE_END'
# Rendered by gw-cli 0.1.0 for media-gw-staging; edit the config and render again instead.

[Unit]
Description=LucidLink filespace projects.mediaco on /media/lucidlink/projects
Documentation=https://support.lucidlink.com
Requires=gateway-node-setup.service
Wants=network-online.target
After=gateway-node-setup.service network-online.target
PartOf=gateway.target
StartLimitIntervalSec=0

[Service]
Type=exec
User=gateway
Group=gateway
LoadCredentialEncrypted=lucidlink-password:/var/lib/gateway/credentials/lucidlink-projects.cred
ExecStart=/usr/local/lib/gateway/lucidlink-daemon /usr/local/bin/lucid3 2001 projects.mediaco gateway+projects@media.example.org /media/lucidlink/projects / /cache/lucidlink/projects
ExecStartPost=/usr/local/lib/gateway/mount-ready 300 /media/lucidlink/projects
ExecStartPost=/usr/local/lib/gateway/lucidlink-cache /usr/local/bin/lucid3 2001 /cache/lucidlink/projects 30 50 1500
ExecStop=/usr/local/bin/lucid3 --instance 2001 exit
Restart=on-failure
RestartSec=5
TimeoutStartSec=360
TimeoutStopSec=60
LimitNOFILE=1048576
GATEWAY_FILE_END

write_file 0644 /etc/systemd/system/lucidlink-archive.service <<'GATEWAY_FILE_END'
# Rendered by gw-cli 0.1.0 for media-gw-staging; edit the config and render again instead.

[Unit]
Description=LucidLink filespace archive.mediaco on /media/lucidlink/archive
Documentation=https://support.lucidlink.com
Requires=gateway-node-setup.service
Wants=network-online.target
After=gateway-node-setup.service network-online.target
PartOf=gateway.target
StartLimitIntervalSec=0

[Service]
Type=exec
User=gateway
Group=gateway
LoadCredentialEncrypted=lucidlink-password:/var/lib/gateway/credentials/lucidlink-archive.cred
ExecStart=/usr/local/lib/gateway/lucidlink-daemon /usr/local/bin/lucid3 2002 archive.mediaco gateway@media.example.org /media/lucidlink/archive "/cold storage/2024" /cache/lucidlink/archive
ExecStartPost=/usr/local/lib/gateway/mount-ready 300 /media/lucidlink/archive
ExecStartPost=/usr/local/lib/gateway/lucidlink-cache /usr/local/bin/lucid3 2002 /cache/lucidlink/archive 30 50 1500
ExecStop=/usr/local/bin/lucid3 --instance 2002 exit
Restart=on-failure
RestartSec=5
TimeoutStartSec=360
TimeoutStopSec=60
LimitNOFILE=1048576
GATEWAY_FILE_END

write_file 0644 /etc/systemd/system/lucidlink-legacy.service <<'GATEWAY_FILE_END'
# Rendered by gw-cli 0.1.0 for media-gw-staging; edit the config and render again instead.

[Unit]
Description=LucidLink filespace legacy.mediaco on /media/lucidlink/legacy
Documentation=https://support.lucidlink.com
Requires=gateway-node-setup.service
Wants=network-online.target
After=gateway-node-setup.service network-online.target
PartOf=gateway.target
StartLimitIntervalSec=0

[Service]
Type=exec
User=gateway
Group=gateway
LoadCredentialEncrypted=lucidlink-password:/var/lib/gateway/credentials/lucidlink-legacy.cred
ExecStart=/usr/local/lib/gateway/lucidlink-daemon /usr/bin/lucid2 501 legacy.mediaco legacy-user /media/lucidlink/legacy / /cache/lucidlink/legacy
ExecStartPost=/usr/local/lib/gateway/mount-ready 300 /media/lucidlink/legacy
ExecStartPost=/usr/local/lib/gateway/lucidlink-cache /usr/bin/lucid2 501 /cache/lucidlink/legacy 30 50 1500
ExecStop=/usr/bin/lucid2 --instance 501 exit
Restart=on-failure
RestartSec=5
TimeoutStartSec=360
TimeoutStopSec=60
LimitNOFILE=1048576
GATEWAY_FILE_END

write_file 0644 /etc/systemd/system/versitygw@.service <<'GATEWAY_FILE_END'
# Rendered by gw-cli 0.1.0 for media-gw-staging; edit the config and render again instead.

[Unit]
Description=VersityGW S3 gateway on port %i
Documentation=https://github.com/versity/versitygw
Requires=lucidlink-projects.service lucidlink-archive.service lucidlink-legacy.service
After=gateway-node-setup.service lucidlink-projects.service lucidlink-archive.service lucidlink-legacy.service
PartOf=gateway.target lucidlink-projects.service lucidlink-archive.service lucidlink-legacy.service
StartLimitIntervalSec=0

[Service]
Type=exec
User=gateway
Group=gateway
Environment="VGW_REGION=eu-west-1"
Environment="VGW_HEALTH=/health"
Environment="VGW_IAM_DIR=/media/lucidlink/projects/.vgw"
Environment="VGW_VIRTUAL_DOMAIN=storage.media.example.org"
Environment="GATEWAY_NOTE=100%% \"quoted\" ${HOME} %%{x} $PATH \\ end"
Environment="GOGC=50"
Environment="GOMEMLIMIT=6GiB"
LoadCredentialEncrypted=root-access-key:/var/lib/gateway/credentials/root-access-key.cred
LoadCredentialEncrypted=root-secret-key:/var/lib/gateway/credentials/root-secret-key.cred
ExecStartPre=/usr/local/lib/gateway/mount-ready 300 /media/lucidlink/projects /media/lucidlink/archive /media/lucidlink/legacy
ExecStart=/usr/local/lib/gateway/versitygw-exec %i /media/lucidlink/projects
Restart=always
RestartSec=5
TimeoutStartSec=330
LimitNOFILE=65536
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=full
ProtectHome=yes
GATEWAY_FILE_END

write_file 0644 /etc/systemd/system/gateway-proxy.service <<'GATEWAY_FILE_END'
# Rendered by gw-cli 0.1.0 for media-gw-staging; edit the config and render again instead.

[Unit]
Description=S3 balancing proxy on port 8080
Wants=versitygw@7100.service versitygw@7101.service versitygw@7102.service versitygw@7103.service
After=gateway-node-setup.service versitygw@7100.service versitygw@7101.service versitygw@7102.service versitygw@7103.service
PartOf=gateway.target

[Service]
Type=exec
User=gateway
Group=gateway
ExecStart=/usr/local/bin/gw-cli proxy --node-config /etc/gateway/node.json
Restart=always
RestartSec=2
TimeoutStopSec=75
LimitNOFILE=101024
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=strict
ProtectHome=yes
ReadWritePaths=-/var/log/gateway
GATEWAY_FILE_END

write_file 0644 /etc/systemd/system/gateway.target <<'GATEWAY_FILE_END'
# Rendered by gw-cli 0.1.0 for media-gw-staging; edit the config and render again instead.

[Unit]
Description=S3 gateway: LucidLink filespaces served by VersityGW behind the balancing proxy
Wants=gateway-node-setup.service lucidlink-projects.service lucidlink-archive.service lucidlink-legacy.service versitygw@7100.service versitygw@7101.service versitygw@7102.service versitygw@7103.service gateway-proxy.service
After=gateway-node-setup.service

[Install]
WantedBy=multi-user.target
GATEWAY_FILE_END

install -d -m 0755 /opt/aws/amazon-cloudwatch-agent/etc
write_file 0644 /opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json <<'GATEWAY_FILE_END'
{
  "agent": {
    "metrics_collection_interval": 60,
    "run_as_user": "root"
  },
  "logs": {
    "logs_collected": {
      "files": {
        "collect_list": [
          {
            "file_path": "/var/log/syslog",
            "log_group_name": "/gateway/media-gw-staging/node",
            "log_stream_name": "{instance_id}"
          },
          {
            "file_path": "/var/log/cloud-init-output.log",
            "log_group_name": "/gateway/media-gw-staging/boot",
            "log_stream_name": "{instance_id}"
          },
          {
            "file_path": "/var/log/gateway/s3-access.log",
            "log_group_name": "/gateway/media-gw-staging/access",
            "log_stream_name": "{instance_id}"
          }
        ]
      }
    }
  },
  "metrics": {
    "aggregation_dimensions": [
      [
        "AutoScalingGroupName"
      ]
    ],
    "append_dimensions": {
      "AutoScalingGroupName": "${aws:AutoScalingGroupName}",
      "InstanceId": "${aws:InstanceId}"
    },
    "metrics_collected": {
      "disk": {
        "measurement": [
          "used_percent"
        ],
        "resources": [
          "/",
          "/cache"
        ]
      },
      "mem": {
        "measurement": [
          "mem_used_percent"
        ]
      }
    },
    "namespace": "CWAgent"
  }
}
GATEWAY_FILE_END

systemctl daemon-reload
systemctl enable gateway.target

if [ -x /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl ]; then
    /opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json
else
    echo "gateway boot: the CloudWatch agent is not installed; logs stay on the instance" >&2
fi
systemctl start --no-block gateway.target
