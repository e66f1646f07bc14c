#!/usr/bin/env python3
"""Real S3 clients (boto3 and awscli) through the balancing proxy, against moto with SigV4 checking on.

usage: s3_clients_check.py --moto URL --proxy URL --workdir DIR [--big-mib 200]

First spends moto's free unauthenticated actions (INITIAL_NO_AUTH_ACTION_COUNT=3) on an IAM user,
an allow-all policy and an access key, directly against moto. From then on moto recomputes every
signature, so any byte of the request line or a signed header that the proxy altered fails the
request. Prints one JSON object: {"passed": [...], "failed": [{"name", "error"}]}. Exit 0 always
when the checks ran (the Swift test judges the JSON); exit 2 on setup failure.
"""
import argparse
import hashlib
import http.client
import io
import json
import os
import socket
import subprocess
import sys
import traceback
import urllib.parse

import boto3
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

REGION = "us-east-1"
VHOST_DOMAIN = "s3.gateway.test"

# Test-side name resolution fake: *.gateway.test resolves to 127.0.0.1 (virtual-host style needs a
# bucket name in the host; nothing on this machine serves DNS for it).
_real_getaddrinfo = socket.getaddrinfo


def _getaddrinfo(host, *args, **kwargs):
    if isinstance(host, str) and host.endswith("gateway.test"):
        host = "127.0.0.1"
    return _real_getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _getaddrinfo


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--moto", required=True)
    parser.add_argument("--proxy", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--big-mib", type=int, default=200)
    args = parser.parse_args()

    try:
        iam = boto3.client("iam", endpoint_url=args.moto, region_name=REGION,
                           aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="setup")
        iam.create_user(UserName="proxy-test")
        iam.put_user_policy(UserName="proxy-test", PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName="proxy-test")["AccessKey"]
    except Exception as error:  # noqa: BLE001
        print(f"setup failed: {error}", file=sys.stderr)
        sys.exit(2)
    access, secret = key["AccessKeyId"], key["SecretAccessKey"]
    proxy = urllib.parse.urlparse(args.proxy)
    results = {"passed": [], "failed": []}

    def client(style="path", endpoint=None, secret_key=secret):
        return boto3.client(
            "s3", endpoint_url=endpoint or args.proxy, region_name=REGION,
            aws_access_key_id=access, aws_secret_access_key=secret_key,
            config=Config(s3={"addressing_style": style}, retries={"max_attempts": 1, "mode": "standard"},
                          signature_version="s3v4"))

    def check(name, function):
        try:
            function()
            results["passed"].append(name)
        except Exception as error:  # noqa: BLE001
            results["failed"].append({"name": name, "error": f"{type(error).__name__}: {error}",
                                      "trace": traceback.format_exc(limit=3)})

    s3 = client()
    bucket = "proxy-test"

    def signature_checking_is_on():
        try:
            client(secret_key="wrong-secret").list_buckets()
        except ClientError as error:
            code = error.response["Error"]["Code"]
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 403, code
            return
        raise AssertionError("a wrong secret was accepted: moto is not checking signatures")

    check("signature checking is on (wrong secret rejected through the proxy)", signature_checking_is_on)
    check("create bucket", lambda: s3.create_bucket(Bucket=bucket))

    keys = ["plain.txt", "a b", "a+b", "a%2Fb", "100%", "a//b", "dir/sub/file", "ünïcödé/☃ snow.txt",
            "x/", "q?uestion&and=equals", "semi;colon"]

    def roundtrip_keys():
        for index, key in enumerate(keys):
            body = f"body of {key!r} {index}".encode()
            s3.put_object(Bucket=bucket, Key=key, Body=body, ContentType="text/plain")
            got = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            assert got == body, (key, got)
            head = s3.head_object(Bucket=bucket, Key=key)
            assert head["ContentLength"] == len(body), (key, head["ContentLength"])
        listed = set()
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
            listed.update(item["Key"] for item in page.get("Contents", []))
        missing = [key for key in keys if key not in listed]
        assert not missing, f"not listed: {missing}"

    check("put/get/head/list keys with spaces, +, %, //, unicode, ?, ;", roundtrip_keys)

    def list_with_prefix_delimiter():
        page = s3.list_objects_v2(Bucket=bucket, Prefix="dir/", Delimiter="/")
        prefixes = [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        assert prefixes == ["dir/sub/"], prefixes
        page = s3.list_objects(Bucket=bucket, Prefix="a", EncodingType="url")
        assert page.get("Contents"), page

    check("list with prefix, delimiter and encoding-type=url", list_with_prefix_delimiter)

    def empty_object():
        s3.put_object(Bucket=bucket, Key="empty", Body=b"")
        response = s3.get_object(Bucket=bucket, Key="empty")
        assert response["ContentLength"] == 0 and response["Body"].read() == b""
        assert s3.head_object(Bucket=bucket, Key="empty")["ContentLength"] == 0

    check("empty object", empty_object)

    data = bytes(range(256)) * 40  # 10 240 bytes

    def ranges():
        s3.put_object(Bucket=bucket, Key="ranged", Body=data)
        cases = {"bytes=0-0": data[0:1], "bytes=-1": data[-1:], "bytes=1000-": data[1000:], "bytes=100-199": data[100:200]}
        for header, expected in cases.items():
            response = s3.get_object(Bucket=bucket, Key="ranged", Range=header)
            assert response["ResponseMetadata"]["HTTPStatusCode"] == 206, header
            assert response["Body"].read() == expected, header
            assert response["ContentRange"].startswith("bytes "), response.get("ContentRange")
        try:
            s3.get_object(Bucket=bucket, Key="ranged", Range="bytes=20000-30000")
            raise AssertionError("an unsatisfiable range was served")
        except ClientError as error:
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 416, error.response

    check("ranged gets (0-0, -1, 1000-, 100-199, unsatisfiable 416)", ranges)

    def delete():
        s3.put_object(Bucket=bucket, Key="to-delete", Body=b"x")
        response = s3.delete_object(Bucket=bucket, Key="to-delete")
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
        try:
            s3.head_object(Bucket=bucket, Key="to-delete")
            raise AssertionError("deleted object still there")
        except ClientError as error:
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        response = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "a b"}, {"Key": "a+b"}]})
        assert len(response.get("Deleted", [])) == 2, response

    check("delete object and delete objects (POST ?delete)", delete)

    def virtual_host():
        vhost = client(style="virtual", endpoint=f"http://{VHOST_DOMAIN}:{proxy.port}")
        vhost.put_object(Bucket=bucket, Key="vhost/key one", Body=b"virtual")
        assert vhost.get_object(Bucket=bucket, Key="vhost/key one")["Body"].read() == b"virtual"
        assert s3.get_object(Bucket=bucket, Key="vhost/key one")["Body"].read() == b"virtual"

    check("virtual-host style", virtual_host)

    def presigned():
        # moto 5.2 cannot verify presigned signatures while SigV4 checking is on (HTTP 500, KeyError
        # HTTP_AUTHORIZATION, same without the proxy), so checking is off for this check only.
        set_auth(args.moto, "inf")
        try:
            put_url = s3.generate_presigned_url("put_object", Params={"Bucket": bucket, "Key": "presigned obj+1"}, ExpiresIn=600)
            get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "presigned obj+1"}, ExpiresIn=600)
            status, _, body = raw_request("PUT", put_url, b"presigned body", {"Content-Type": "application/octet-stream"})
            assert status == 200, f"presigned PUT -> {status} {body[:200]}"
            status, _, body = raw_request("GET", get_url)
            assert status == 200 and body == b"presigned body", (status, body[:200])
        finally:
            set_auth(args.moto, "0")

    check("presigned GET and PUT", presigned)

    def signed(method, key):
        url = f"{args.proxy}/{bucket}/{key}"
        request = AWSRequest(method=method, url=url, headers={"x-amz-content-sha256": hashlib.sha256(b"").hexdigest()})
        SigV4Auth(Credentials(access, secret), "s3", REGION).add_auth(request)
        return url[url.index("/", 8):], dict(request.headers.items())

    def head_then_get_same_connection():
        connection = http.client.HTTPConnection(proxy.hostname, proxy.port, timeout=30)
        target, headers = signed("HEAD", "ranged")
        connection.request("HEAD", target, headers=headers)
        response = connection.getresponse()
        assert response.status == 200, response.status
        assert int(response.getheader("Content-Length")) == len(data), response.getheader("Content-Length")
        assert response.read() == b""
        target, headers = signed("GET", "ranged")
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        assert response.status == 200 and response.read() == data, response.status
        connection.close()

    check("HEAD then GET on one keep-alive connection", head_then_get_same_connection)

    def expect_continue_upload():
        body = os.urandom(3 * 1024 * 1024)
        s3.put_object(Bucket=bucket, Key="expect", Body=io.BytesIO(body))  # file-like: botocore sends Expect: 100-continue
        assert s3.get_object(Bucket=bucket, Key="expect")["Body"].read() == body
        try:
            client(secret_key="wrong").put_object(Bucket=bucket, Key="expect-denied", Body=io.BytesIO(body))
            raise AssertionError("upload with a wrong secret succeeded")
        except ClientError as error:
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 403

    check("Expect: 100-continue upload (and a rejected one does not hang)", expect_continue_upload)

    def chunked_uploads():
        creds = Credentials(access, secret)
        payload = os.urandom(200_000)
        # HTTP chunked body, unsigned payload: must arrive chunked and be stored byte for byte.
        url = f"{args.proxy}/{bucket}/chunked-upload"
        request = AWSRequest(method="PUT", url=url, headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD",
                                                              "Content-Type": "application/octet-stream"})
        SigV4Auth(creds, "s3", REGION).add_auth(request)
        headers = dict(request.headers.items())
        status, _, body = raw_request("PUT", url, chunks(payload, 65_000), headers, chunked=True)
        assert status == 200, (status, body[:300])
        assert s3.get_object(Bucket=bucket, Key="chunked-upload")["Body"].read() == payload
        # aws-chunked (STREAMING-UNSIGNED-PAYLOAD-TRAILER) inside HTTP chunking, as SDKs send with checksums.
        import zlib, base64
        crc = base64.b64encode(zlib.crc32(payload).to_bytes(4, "big")).decode()
        aws_body = b""
        for piece in chunks(payload, 65_536):
            aws_body += f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        aws_body += f"0\r\nx-amz-checksum-crc32:{crc}\r\n\r\n".encode()
        url = f"{args.proxy}/{bucket}/aws-chunked-upload"
        request = AWSRequest(method="PUT", url=url, headers={
            "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": str(len(payload)), "x-amz-trailer": "x-amz-checksum-crc32",
            "Content-Type": "application/octet-stream"})
        SigV4Auth(creds, "s3", REGION).add_auth(request)
        status, _, body = raw_request("PUT", url, chunks(aws_body, 50_000), dict(request.headers.items()), chunked=True)
        assert status == 200, (status, body[:300])
        assert s3.get_object(Bucket=bucket, Key="aws-chunked-upload")["Body"].read() == payload

    check("chunked and aws-chunked (trailer checksum) uploads", chunked_uploads)

    def altered_signed_header_is_caught():
        # Control for the harness itself: a signed header changed after signing must fail at moto.
        creds = Credentials(access, secret)
        url = f"{args.proxy}/{bucket}/plain.txt"
        request = AWSRequest(method="GET", url=url, headers={"x-amz-meta-probe": "one"})
        SigV4Auth(creds, "s3", REGION).add_auth(request)
        headers = dict(request.headers.items())
        headers["x-amz-meta-probe"] = "two"
        request.headers["SignedHeaders-check"] = ""
        status, _, _ = raw_request("GET", url, None, headers)
        assert status == 403, f"altered signed header -> {status}"

    check("a signed header altered after signing is rejected (harness control)", altered_signed_header_is_caught)

    big = os.path.join(args.workdir, "big.bin")
    down = os.path.join(args.workdir, "big.down")

    def awscli(*command):
        env = dict(os.environ, AWS_ACCESS_KEY_ID=access, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION=REGION,
                   AWS_MAX_ATTEMPTS="1", AWS_RETRY_MODE="standard", AWS_CONFIG_FILE="/dev/null",
                   AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        aws = os.path.join(os.path.dirname(sys.executable), "aws")
        done = subprocess.run([aws, "--endpoint-url", args.proxy, *command], env=env, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise AssertionError(f"aws {' '.join(command)} -> {done.returncode}: {done.stderr.strip()[-500:]}")
        return done.stdout

    def awscli_basics():
        small = os.path.join(args.workdir, "small with space.txt")
        with open(small, "wb") as handle:
            handle.write(b"hello from awscli\n")
        awscli("s3", "cp", small, f"s3://{bucket}/cli/small with space.txt")
        out = awscli("s3", "ls", f"s3://{bucket}/cli/")
        assert "small with space.txt" in out, out
        got = os.path.join(args.workdir, "small.back")
        awscli("s3", "cp", f"s3://{bucket}/cli/small with space.txt", got)
        assert open(got, "rb").read() == b"hello from awscli\n"
        head = json.loads(awscli("s3api", "head-object", "--bucket", bucket, "--key", "cli/small with space.txt"))
        assert head["ContentLength"] == 18, head
        awscli("s3", "rm", f"s3://{bucket}/cli/small with space.txt")

    check("awscli cp/ls/head-object/rm", awscli_basics)

    def multipart_big():
        digest = hashlib.sha256()
        with open(big, "wb") as handle:
            block = os.urandom(1024 * 1024)
            for index in range(args.big_mib):
                piece = index.to_bytes(4, "big") + block[4:]
                digest.update(piece)
                handle.write(piece)
        awscli("s3", "cp", big, f"s3://{bucket}/big/object.bin")  # multipart (8 MiB parts)
        head = s3.head_object(Bucket=bucket, Key="big/object.bin")
        assert head["ContentLength"] == args.big_mib * 1024 * 1024, head["ContentLength"]
        assert "-" in head["ETag"], f"not a multipart ETag: {head['ETag']}"
        s3.download_file(bucket, "big/object.bin", down)
        check_digest = hashlib.sha256()
        with open(down, "rb") as handle:
            for piece in iter(lambda: handle.read(1 << 20), b""):
                check_digest.update(piece)
        assert check_digest.hexdigest() == digest.hexdigest(), "downloaded bytes differ"

    check(f"multipart upload of {args.big_mib} MiB with awscli, download with boto3, checksums equal", multipart_big)
    for path in (big, down):
        if os.path.exists(path):
            os.remove(path)
    print(json.dumps(results))


def set_auth(moto, value):
    """moto's INITIAL_NO_AUTH_ACTION_COUNT at run time: "0" checks every request, "inf" none."""
    parsed = urllib.parse.urlparse(moto)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    connection.request("POST", "/moto-api/reset-auth", body=value.encode(), headers={"Content-Type": "text/plain"})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 200, f"reset-auth -> {response.status}"


def chunks(data, size):
    return [data[i:i + size] for i in range(0, len(data), size)] or [b""]


def raw_request(method, url, body=None, headers=None, chunked=False):
    parsed = urllib.parse.urlparse(url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    target = parsed.path + (("?" + parsed.query) if parsed.query else "")
    connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
    headers = dict(headers or {})
    if not any(name.lower() == "host" for name in headers):
        headers["Host"] = parsed.netloc
    for name, value in headers.items():
        if name == "SignedHeaders-check":
            continue
        connection.putheader(name, value)
    if chunked:
        connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        for piece in body:
            connection.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        connection.send(b"0\r\n\r\n")
    else:
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders()
        if body:
            connection.send(body)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    return response.status, response.getheaders(), payload


if __name__ == "__main__":
    main()
