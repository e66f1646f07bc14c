#!/usr/bin/env python3
"""Test fixture: signs a table of requests with botocore's own SigV4Auth (the reference implementation).

stdin: JSON list of cases {method, url, query: [[name, value]], headers: [[name, value]], bodyHex,
        accessKey, secretKey, token|null, service, region, amzDate, unsignedPayload}
stdout: JSON list of {authorization, canonicalRequest, headers: [[name, value]]}
Exit 2 when botocore is missing (run scripts/install-test-deps.sh).
"""
import datetime
import json
import sys

try:
    import botocore.auth
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
except ImportError:
    print("botocore is not installed: run scripts/install-test-deps.sh", file=sys.stderr)
    sys.exit(2)


class RecordingSigV4Auth(SigV4Auth):
    """botocore's signer, remembering the canonical request it signed."""

    def canonical_request(self, request):
        self.recorded = super().canonical_request(request)
        return self.recorded


def sign(case):
    fixed = datetime.datetime.strptime(case["amzDate"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda: fixed
    request = AWSRequest(method=case["method"], url=case["url"], data=bytes.fromhex(case["bodyHex"]),
                         params=[(k, v) for k, v in case["query"]])
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders appends: repeated names stay repeated
    if case.get("unsignedPayload"):
        request.context["payload_signing_enabled"] = False
    credentials = Credentials(case["accessKey"], case["secretKey"], case.get("token"))
    auth = RecordingSigV4Auth(credentials, case["service"], case["region"])
    auth.add_auth(request)
    return {"authorization": request.headers["Authorization"],
            "canonicalRequest": auth.recorded,
            "headers": [[k, v] for k, v in request.headers.items()]}


json.dump([sign(case) for case in json.load(sys.stdin)], sys.stdout)
