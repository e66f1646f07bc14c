#!/bin/bash
# Boot script of the gateway instances of s3-gateway-prod, rendered by gw-cli 0.1.0.
# It installs the node config and systemd units of this deployment and starts the gateway.
# It holds no secret: gateway-node-setup.service reads them from SSM under /gateway/s3-gateway-prod.
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
  "deployment": "s3-gateway-prod",
  "filespaces": [
    {
      "clientVersion": 3,
      "instanceId": 2001,
      "mountName": "mycompany",
      "mountPoint": "/media/lucidlink/mycompany",
      "name": "mycompany.dmpfs",
      "password": "ssm:/gateway/s3-gateway-prod/filespaces/0/password",
      "rootPoint": "/",
      "user": "gateway@example.com"
    }
  ],
  "gateways": {
    "dataRoot": "/media/lucidlink/mycompany",
    "environment": {},
    "healthPath": "/health",
    "iamDir": "/media/lucidlink/mycompany/.vgw",
    "ports": [
      7070,
      7071,
      7072
    ],
    "rootAccessKey": "ssm:/gateway/s3-gateway-prod/gateway/rootAccessKey",
    "rootSecretKey": "ssm:/gateway/s3-gateway-prod/gateway/rootSecretKey",
    "virtualDomain": "s3.example.com"
  },
  "metrics": {
    "cloudWatch": true,
    "namespace": "S3Gateway",
    "prometheus": true,
    "publishIntervalSeconds": 60
  },
  "proxy": {
    "accessLog": "/var/log/gateway/access.log",
    "connectTimeoutSeconds": 2,
    "drainSeconds": 30,
    "fall": 3,
    "healthIntervalSeconds": 2,
    "healthPath": "/_gateway/health",
    "healthTimeoutSeconds": 1,
    "idleTimeoutSeconds": 60,
    "listenPort": 8000,
    "maxConnections": 10000,
    "metricsPort": 9100,
    "minHealthyBackends": 1,
    "policy": "p2c",
    "responseTimeoutSeconds": 900,
    "rise": 2
  },
  "region": "us-east-1",
  "storage": {
    "cacheMaxGiB": 600,
    "cacheMinGiB": 10,
    "cacheMountPoint": "/data",
    "cacheSharePercent": 80,
    "filesystem": "xfs",
    "mountOptions": "defaults,noatime,largeio,swalloc",
    "raidChunkKiB": 256
  },
  "version": 1
}
GATEWAY_FILE_END

write_file 0644 /etc/systemd/system/gateway-node-setup.service <<'GATEWAY_FILE_END'
# Rendered by gw-cli 0.1.0 for s3-gateway-prod; edit the config and render again instead.

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

write_file 0644 /etc/systemd/system/lucidlink-mycompany.service <<'GATEWAY_FILE_END'
# Rendered by gw-cli 0.1.0 for s3-gateway-prod; edit the config and render again instead.

[Unit]
Description=LucidLink filespace mycompany.dmpfs on /media/lucidlink/mycompany
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
LoadCredentialEncrypted=lucidlink-password:/var/lib/gateway/credentials/lucidlink-mycompany.cred
ExecStart=/usr/local/lib/gateway/lucidlink-daemon /usr/local/bin/lucid3 2001 mycompany.dmpfs gateway@example.com /media/lucidlink/mycompany / /data/lucidlink/mycompany
ExecStartPost=/usr/local/lib/gateway/mount-ready 300 /media/lucidlink/mycompany
ExecStartPost=/usr/local/lib/gateway/lucidlink-cache /usr/local/bin/lucid3 2001 /data/lucidlink/mycompany 80 10 600
ExecStop=/usr/local/bin/lucid3 --instance 2001 exit
Restart=on-failure
RestartSec=5
TimeoutStartSec=360
TimeoutStopSec=60
LimitNOFILE=1048576
GATEWAY_FILE_END

write_file 0644 /etc/systemd/system/versitygw@.service <<'GATEWAY_FILE_END'
# Rendered by gw-cli 0.1.0 for s3-gateway-prod; edit the config and render again instead.

[Unit]
Description=VersityGW S3 gateway on port %i
Documentation=https://github.com/versity/versitygw
Requires=lucidlink-mycompany.service
After=gateway-node-setup.service lucidlink-mycompany.service
PartOf=gateway.target lucidlink-mycompany.service
StartLimitIntervalSec=0

[Service]
Type=exec
User=gateway
Group=gateway
Environment="VGW_REGION=us-east-1"
Environment="VGW_HEALTH=/health"
Environment="VGW_IAM_DIR=/media/lucidlink/mycompany/.vgw"
Environment="VGW_VIRTUAL_DOMAIN=s3.example.com"
LoadCredentialEncrypted=root-access-key:/var/lib/gateway/credentials/root-access-key.cred
LoadCredentialEncrypted=root-secret-key:/var/lib/gateway/credentials/root-secret-key.cred
ExecStartPre=/usr/local/lib/gateway/mount-ready 300 /media/lucidlink/mycompany
ExecStart=/usr/local/lib/gateway/versitygw-exec %i /media/lucidlink/mycompany
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
# Rendered by gw-cli 0.1.0 for s3-gateway-prod; edit the config and render again instead.

[Unit]
Description=S3 balancing proxy on port 8000
Wants=versitygw@7070.service versitygw@7071.service versitygw@7072.service
After=gateway-node-setup.service versitygw@7070.service versitygw@7071.service versitygw@7072.service
PartOf=gateway.target

[Service]
Type=exec
User=gateway
Group=gateway
ExecStart=/usr/local/bin/gw-cli proxy --node-config /etc/gateway/node.json
Restart=always
RestartSec=2
TimeoutStopSec=60
LimitNOFILE=65536
NoNewPrivileges=yes
PrivateTmp=yes
ProtectSystem=strict
ProtectHome=yes
ReadWritePaths=-/var/log/gateway
GATEWAY_FILE_END

write_file 0644 /etc/systemd/system/gateway.target <<'GATEWAY_FILE_END'
# Rendered by gw-cli 0.1.0 for s3-gateway-prod; edit the config and render again instead.

[Unit]
Description=S3 gateway: LucidLink filespaces served by VersityGW behind the balancing proxy
Wants=gateway-node-setup.service lucidlink-mycompany.service versitygw@7070.service versitygw@7071.service versitygw@7072.service gateway-proxy.service
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
            "log_group_name": "/gateway/s3-gateway-prod/node",
            "log_stream_name": "{instance_id}"
          },
          {
            "file_path": "/var/log/cloud-init-output.log",
            "log_group_name": "/gateway/s3-gateway-prod/boot",
            "log_stream_name": "{instance_id}"
          },
          {
            "file_path": "/var/log/gateway/access.log",
            "log_group_name": "/gateway/s3-gateway-prod/access",
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
          "/data"
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
