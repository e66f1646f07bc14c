#!/usr/bin/env python3
"""TEST FIXTURE (a fake, since nothing real exists off EC2): plays two AWS HTTP services on 127.0.0.1.

1. The EC2 instance metadata service, IMDSv2 only:
   PUT /latest/api/token (needs X-aws-ec2-metadata-token-ttl-seconds) returns a session token; every GET
   without a valid token gets 401. Tokens expire after min(requested TTL, --token-ttl) seconds.
   GET /latest/meta-data/iam/security-credentials/ -> role name; .../<role> -> temporary credentials that
   expire --credential-ttl seconds after they are issued (each fetch issues new ones: ASIAFAKE0001, ...).
   GET /latest/meta-data/placement/region, /latest/meta-data/instance-id.
2. A throttled query API under /throttled/: the first --throttle POSTs are answered 400 <Code>Throttling</Code>,
   the next --unavailable POSTs 503, then GetCallerIdentity succeeds.

POST /_fake/revoke-tokens makes every token issued so far invalid (as if it had expired).
GET /_fake/stats returns counters: tokens, unauthorized, credentialFetches, getsWithoutToken, throttledPosts,
postTimes (seconds since start of each POST, to check backoff).
Prints "PORT <n>" once it listens.
"""
import argparse
import json
import secrets
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--credential-ttl", type=float, default=3600)
parser.add_argument("--token-ttl", type=float, default=21600)
parser.add_argument("--throttle", type=int, default=0)
parser.add_argument("--unavailable", type=int, default=0)
args = parser.parse_args()

ROLE = "gateway-node-role"
lock = threading.Lock()
tokens = {}
stats = {"tokens": 0, "unauthorized": 0, "credentialFetches": 0, "getsWithoutToken": 0, "throttledPosts": 0,
         "postTimes": []}
started = time.monotonic()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def reply(self, status, body, content_type="text/plain", headers=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_PUT(self):
        self.body()
        if self.path != "/latest/api/token":
            return self.reply(404, "not found")
        ttl = self.headers.get("X-aws-ec2-metadata-token-ttl-seconds")
        if not ttl or not ttl.isdigit() or not 1 <= int(ttl) <= 21600:
            return self.reply(400, "missing or invalid X-aws-ec2-metadata-token-ttl-seconds")
        token = secrets.token_urlsafe(24)
        with lock:
            tokens[token] = time.monotonic() + min(int(ttl), args.token_ttl)
            stats["tokens"] += 1
        self.reply(200, token, headers=[("X-aws-ec2-metadata-token-ttl-seconds", ttl)])

    def do_GET(self):
        if self.path == "/_fake/stats":
            with lock:
                return self.reply(200, json.dumps(stats), "application/json")
        token = self.headers.get("X-aws-ec2-metadata-token")
        with lock:
            if token is None:
                stats["getsWithoutToken"] += 1
            valid = token is not None and tokens.get(token, 0) > time.monotonic()
            if not valid:
                stats["unauthorized"] += 1
        if not valid:
            return self.reply(401, "")
        base = "/latest/meta-data/iam/security-credentials/"
        if self.path == base:
            return self.reply(200, ROLE)
        if self.path == base + ROLE:
            with lock:
                stats["credentialFetches"] += 1
                serial = stats["credentialFetches"]
            expires = datetime.now(timezone.utc) + timedelta(seconds=args.credential_ttl)
            return self.reply(200, json.dumps({
                "Code": "Success", "LastUpdated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "Type": "AWS-HMAC", "AccessKeyId": f"ASIAFAKE{serial:04d}",
                "SecretAccessKey": f"fake-secret-{serial}-{secrets.token_hex(8)}",
                "Token": f"fake-session-token-{serial}-{secrets.token_hex(16)}",
                "Expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}), "application/json")
        if self.path == "/latest/meta-data/placement/region":
            return self.reply(200, "eu-west-1")
        if self.path == "/latest/meta-data/instance-id":
            return self.reply(200, "i-0fake00000000001")
        self.reply(404, "not found")

    def do_POST(self):
        self.body()
        if self.path == "/_fake/revoke-tokens":
            with lock:
                tokens.clear()
            return self.reply(200, "revoked")
        if not self.path.startswith("/throttled/"):
            return self.reply(404, "not found")
        with lock:
            stats["postTimes"].append(time.monotonic() - started)
            count = len(stats["postTimes"])
        if count <= args.throttle:
            with lock:
                stats["throttledPosts"] += 1
            return self.reply(400, "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                                   "<Message>Rate exceeded</Message></Error><RequestId>throttle-"
                                   f"{count}</RequestId></ErrorResponse>", "text/xml")
        if count <= args.throttle + args.unavailable:
            return self.reply(503, "", headers=[("x-amzn-RequestId", f"unavailable-{count}")])
        self.reply(200, "<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:sts::123456789012:"
                        "assumed-role/fake/node</Arn><UserId>AROAFAKE:node</UserId><Account>123456789012</Account>"
                        "</GetCallerIdentityResult><ResponseMetadata><RequestId>ok-1</RequestId></ResponseMetadata>"
                        "</GetCallerIdentityResponse>", "text/xml")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"PORT {server.server_address[1]}", flush=True)
server.serve_forever()
