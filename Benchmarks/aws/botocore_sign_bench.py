#!/usr/bin/env python3
"""Peer benchmark: botocore's SigV4Auth signing the same request table as AWSBenchmarks (`sign`).

usage: botocore_sign_bench.py SECONDS   -> one JSON line {"signaturesPerSecond": N, ...}
"""
import datetime
import json
import sys
import time

import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

FORM = "application/x-www-form-urlencoded; charset=utf-8"
TABLE = [
    ("sts", "us-east-1", "POST", "https://sts.amazonaws.com/", [], {"Content-Type": FORM},
     b"Action=GetCallerIdentity&Version=2011-06-15"),
    ("ec2", "eu-west-1", "GET", "https://ec2.eu-west-1.amazonaws.com/",
     [("Action", "DescribeImages"), ("Version", "2016-11-15"), ("Filter.1.Name", "name"),
      ("Filter.1.Value.1", "ubuntu/images/* a+b=c&d"), ("Owner.1", "099720109477")], {}, b""),
    ("monitoring", "eu-west-1", "POST", "https://monitoring.eu-west-1.amazonaws.com/", [], {"Content-Type": FORM},
     b"MetricData.member.1.MetricName=requests&" * 40),
    ("ssm", "ap-southeast-2", "POST", "https://ssm.ap-southeast-2.amazonaws.com/", [],
     {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonSSM.GetParameter"},
     b'{"Name":"/gateway/prod/filespaces/0/password","WithDecryption":true}'),
]

fixed = datetime.datetime(2024, 5, 6, 12, 53, 20)
botocore.auth.get_current_datetime = lambda: fixed
credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token")
signers = [SigV4Auth(credentials, service, region) for service, region, *_ in TABLE]
seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
count = 0
start = time.perf_counter()
while time.perf_counter() - start < seconds:
    for signer, (_, _, method, url, params, headers, body) in zip(signers, TABLE):
        request = AWSRequest(method=method, url=url, data=body, params=params, headers=headers)
        signer.add_auth(request)
        count += 1
elapsed = time.perf_counter() - start
print(json.dumps({"benchmark": "botocore-sign", "signatures": count, "signaturesPerSecond": int(count / elapsed)}))
