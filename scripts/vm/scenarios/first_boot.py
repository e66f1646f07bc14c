#!/usr/bin/python3
"""Boot 2, an instance's first boot from the image: cloud-init's stand-in runs the rendered user-data.sh,
which starts gateway-node.service (`gw-cli node apply`). Checks the storage, LucidLink (two filespaces),
the gateways and the proxy, each filespace served as its own bucket; then a LucidLink crash during an
outage of a filespace and the recovery; then that a second apply changes nothing. Leaves a marker on the
cache for the reboot."""
import errno
import hashlib
import json
import os
import re
import secrets
import sys
import time

sys.path.insert(0, "/mnt/gw/boot")
from vmcheck import (flag, http_status, main, run, s3_client, unit, wait,  # noqa: E402
                     wait_for_node_setup, wait_healthy)

FILESPACE_MOUNT = "/media/lucidlink/mycompany"
LUCID_UNIT = "lucidlink-mycompany.service"
# Every filespace: its bucket (its mount name), mount point, FAKE client instance and cloud storage.
FILESPACES = [
    {"bucket": "mycompany", "mount": FILESPACE_MOUNT, "instance": 2001, "cloud": "/mnt/gw/filespace-cloud/mycompany.dmpfs"},
    {"bucket": "projects", "mount": "/media/lucidlink/projects", "instance": 2002, "cloud": "/mnt/gw/filespace-cloud/projects.vmtest"},
]
PORTS = [7070, 7071, 7072]
HEALTH = "http://127.0.0.1:8000/_gateway/health"


def lucid_record(instance=2001):
    with open(f"/run/lucid-fake/{instance}.json") as handle:
        return json.load(handle)


def storage_checks(report):
    detail = run(["mdadm", "--detail", "--export", "/dev/md/gw-cache"]).stdout
    fields = dict(line.split("=", 1) for line in detail.splitlines() if "=" in line)
    members = sorted(value for key, value in fields.items() if key.startswith("MD_DEVICE_") and key.endswith("_DEV"))
    chunk = run(["mdadm", "--detail", "/dev/md/gw-cache"]).stdout
    report.check("first boot builds md RAID 0 over all four NVMe disks",
                 fields.get("MD_LEVEL") == "raid0" and fields.get("MD_DEVICES") == "4" and len(members) == 4 and all(m.startswith("/dev/nvme") for m in members)
                 and re.search(r"Chunk Size : 256K", chunk) is not None, detail + chunk)
    report.figure("array_uuid", fields.get("MD_UUID", ""))
    info = run(["xfs_info", "/data"]).stdout
    sunit = re.search(r"sunit=(\d+)\s+swidth=(\d+) blks", info)
    bsize = re.search(r"^data\s+=\s+bsize=(\d+)", info, re.M)
    ok = bool(sunit and bsize) and int(sunit.group(1)) * int(bsize.group(1)) == 256 * 1024 and int(sunit.group(2)) == 4 * int(sunit.group(1))
    report.check("XFS stripe unit and width match the array (su=256k, sw=4)", ok, info)
    mount = run(["findmnt", "--noheadings", "--output", "SOURCE,FSTYPE,OPTIONS", "/data"]).stdout.split()
    options = mount[2].split(",") if len(mount) == 3 else []
    report.check("the cache is mounted at /data with the reference options",
                 len(mount) == 3 and mount[1] == "xfs" and {"noatime", "largeio", "swalloc"} <= set(options), " ".join(mount))
    uuid = run(["blkid", "-s", "UUID", "-o", "value", "/dev/md/gw-cache"]).stdout.strip()
    with open("/etc/fstab") as handle:
        lines = [line.split() for line in handle if line.split()[:1] and not line.startswith("#")]
    entry = [fields for fields in lines if len(fields) >= 4 and fields[1] == "/data"]
    report.check("fstab mounts the cache by UUID with nofail",
                 len(entry) == 1 and bool(uuid) and entry[0][0] == f"UUID={uuid}" and "nofail" in entry[0][3].split(","), f"blkid {uuid}; fstab {entry}")


def lucidlink_checks(report):
    record = lucid_record()
    credential = "/etc/credstore.encrypted/lucidlink-mycompany.cred"
    password_hash = flag("lucidlink-password.sha256")
    with open(f"/run/fake-ssm/gateway/{flag('deployment')}/filespaces/0/password") as handle:
        password = handle.read()
    with open(credential, "rb") as handle:
        sealed = handle.read()
    loads = unit(LUCID_UNIT, "LoadCredentialEncrypted")
    report.check("the LucidLink unit gets its password through the encrypted credential",
                 record.get("passwordMatches") is True and record.get("passwordFromRegularFile") is True and record.get("passwordInEnvironment") is False
                 and record.get("credentialsDirectoryInEnvironment") is False and os.stat(credential).st_mode & 0o777 == 0o600
                 and password.encode() not in sealed and hashlib.sha256(password.encode()).hexdigest() == password_hash,
                 f"daemon saw: {record}; unit: {loads}")
    mounts = {}
    for filespace in FILESPACES:
        kind = run(["findmnt", "--noheadings", "--output", "FSTYPE", filespace["mount"]]).stdout.strip()
        mounts[filespace["mount"]] = (kind, lucid_record(filespace["instance"]).get("state"))
    report.check("each filespace is a live FUSE mount", all(kind.startswith("fuse") and state == "Linked" for kind, state in mounts.values()), f"{mounts}")
    stats = os.statvfs("/data")
    # The reference share (80% of the array) divided among the filespaces, clamped to 10-600 GiB.
    expected = min(max(int(stats.f_blocks * stats.f_frsize * 80 / 100 / len(FILESPACES) / (1 << 30)), 10), 600)
    report.figure("cache_size_gib", expected)
    caches = {}
    for filespace in FILESPACES:
        listing = run(["/usr/local/bin/lucid3", "--instance", str(filespace["instance"]), "config", "--list", "--local"]).stdout
        values = dict(line.split(": ", 1) for line in listing.splitlines() if ": " in line)
        caches[filespace["bucket"]] = (values.get("DataCache.Size"), values.get("DataCache.Location", ""))
    report.check("the LucidLink cache is sized from the array's space and placed on it",
                 all(size == f"{expected}GiB" and location.startswith(f"/data/lucidlink/{bucket}/") for bucket, (size, location) in caches.items()),
                 f"{caches}; expected {expected}GiB each of {stats.f_blocks * stats.f_frsize >> 20} MiB for {len(FILESPACES)} filespaces")


def gateway_checks(report):
    times = [lucid_record(filespace["instance"]).get("mountedAtMonotonicMicroseconds", 0) for filespace in FILESPACES]
    mounted = max(times) if all(times) else 0
    started = {port: unit(f"versitygw@{port}.service", "ActiveState", "ExecMainStartTimestampMonotonic") for port in PORTS}
    report.check("the three gateway units start only after both filespace mounts",
                 all(state["ActiveState"] == "active" and int(state["ExecMainStartTimestampMonotonic"]) > mounted > 0 for state in started.values()),
                 f"mounted at {times} us; gateways {started}")
    sockets = run(["ss", "--listening", "--tcp", "--numeric", "--no-header"]).stdout
    local = {port: re.findall(rf"(\S+):{port}\s", sockets) for port in PORTS}
    report.check("the gateways listen on loopback only", all(addresses == ["127.0.0.1"] for addresses in local.values()), sockets)


def s3_checks(report):
    client = s3_client()
    bucket, key = "mycompany", "first-boot/object.bin"
    data = secrets.token_bytes(200_000)
    client.put_object(Bucket=bucket, Key=key, Body=data)
    fetched = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    listed = [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]
    buckets = [item["Name"] for item in client.list_buckets()["Buckets"]]
    report.check("the proxy answers S3 PUT, GET and LIST on port 8000", fetched == data and listed == [key], f"listed {listed}")
    path = f"{FILESPACE_MOUNT}/{key}"
    with open(path, "rb") as handle:
        on_disk = handle.read()
    report.check("the object lands as a file on the filespace mount", on_disk == data, path)
    with open("/mnt/gw/out/object.sha256", "w") as handle:
        handle.write(hashlib.sha256(data).hexdigest())

    # Each filespace is its own bucket: an object put in one lands on that filespace only.
    placed = {}
    for filespace in FILESPACES:
        body = secrets.token_bytes(50_000)
        name = f"per-filespace/{filespace['bucket']}.bin"
        client.put_object(Bucket=filespace["bucket"], Key=name, Body=body)
        back = client.get_object(Bucket=filespace["bucket"], Key=name)["Body"].read()
        others = [other["cloud"] for other in FILESPACES if other is not filespace and os.path.exists(f"{other['cloud']}/{name}")]
        try:
            with open(f"{filespace['cloud']}/{name}", "rb") as handle:
                stored = handle.read()
        except OSError as error:
            stored = str(error).encode()
        placed[filespace["bucket"]] = back == body and stored == body and not others
    report.check("the buckets are the filespaces: ListBuckets names both, each object lands in its own filespace",
                 sorted(buckets) == sorted(f["bucket"] for f in FILESPACES) and all(placed.values()), f"buckets {buckets}; placed {placed}")

    # The gateways' root is root's: a bucket made over S3 cannot land on the instance's disk.
    try:
        client.create_bucket(Bucket="vm-local-bucket")
        refused = "created"
    except Exception as error:  # botocore's ClientError, after its retries
        refused = getattr(error, "response", {}).get("Error", {}).get("Code", type(error).__name__)
    report.check("a bucket cannot be created outside the filespaces", refused == "InternalError" and not os.path.exists("/media/lucidlink/vm-local-bucket"),
                 f"CreateBucket: {refused}; {os.listdir('/media/lucidlink')}")


def outage(report):
    """LucidLink crashes while the filespace is unreachable: the gateways stop with it, the proxy turns
    unhealthy; once the filespace is back the client, the gateways and the proxy recover."""
    open("/run/lucid-fake/outage", "w").close()
    run(["systemctl", "kill", "--signal=SIGKILL", LUCID_UNIT], check=True)
    crashed = time.monotonic()

    def gone():
        try:
            os.stat(FILESPACE_MOUNT + "/.")
            os.listdir(FILESPACE_MOUNT)
            return False
        except OSError as error:
            return error.errno == errno.ENOTCONN

    ok, _ = wait(gone, 10, interval=0.05)
    report.check("killing the LucidLink client leaves its mount answering ENOTCONN", ok)
    stopped, waited = wait(lambda: all(unit(f"versitygw@{port}.service", "ActiveState")["ActiveState"] != "active" for port in PORTS), 30, interval=0.1)
    report.check("the gateways stop with the LucidLink client", stopped, f"{waited:.1f} s")
    unhealthy, _ = wait(lambda: http_status(HEALTH) == 503, 30, interval=0.1)
    seconds = time.monotonic() - crashed
    report.figure("seconds_to_unhealthy", round(seconds, 2))
    # fall (3) failed checks, one per interval (2 s), each up to its timeout (1 s), plus one interval of phase.
    report.check("proxy health turns 503 within the health window (fall x interval + timeout + interval)", unhealthy and seconds <= 3 * 2 + 1 + 2 + 1, f"{seconds:.2f} s")
    os.unlink("/run/lucid-fake/outage")
    back = time.monotonic()
    healthy, _ = wait(lambda: http_status(HEALTH) == 200, 120, interval=0.2)
    report.figure("seconds_to_recover", round(time.monotonic() - back, 2))
    client = s3_client()
    fetched = client.get_object(Bucket="mycompany", Key="first-boot/object.bin")["Body"].read() if healthy else b""
    with open("/mnt/gw/out/object.sha256") as handle:
        digest = handle.read().strip()
    report.check("LucidLink, the gateways and the proxy recover when the filespace is back", healthy and hashlib.sha256(fetched).hexdigest() == digest,
                 f"{time.monotonic() - back:.1f} s; units: {[unit(f'versitygw@{port}.service', 'ActiveState') for port in PORTS]}")


def second_apply(report):
    result = run(["/usr/local/bin/gw-cli", "node", "apply", "/etc/gateway/node.json"], timeout=600)
    summary = [line for line in result.stdout.splitlines() if "applied," in line]
    report.check("a second node apply changes nothing", result.returncode == 0 and bool(summary) and summary[-1].startswith("0 applied"), result.stdout[-2000:] + result.stderr[-1000:])


def identity(report):
    with open("/etc/machine-id") as handle:
        machine = handle.read().strip()
    secret = "/var/lib/systemd/credential.secret"
    with open(secret, "rb") as handle:
        key = hashlib.sha256(handle.read()).hexdigest()
    report.figure("machine_id", machine)
    report.figure("credential_key_sha256", key)
    report.check("the instance has a machine id of its own", bool(machine) and machine != flag("image-machine-id"), f"{machine} (image build: {flag('image-machine-id')})")


def body(report):
    user_data, _ = wait(lambda: os.path.exists("/var/lib/fake-cloud-init/user-data-exit"), 600, interval=0.5)
    status = open("/var/lib/fake-cloud-init/user-data-exit").read().strip() if user_data else "did not finish"
    report.check("the rendered user-data.sh runs to its end", status == "0", f"exit {status}\n{open('/var/log/cloud-init-output.log').read()[-1500:]}")
    wait_for_node_setup(report)
    wait_healthy(report)
    agent = run(["/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl", "-a", "status"]).stdout
    report.check("the CloudWatch agent (FAKE) accepted the rendered config", '"running"' in agent, agent)
    storage_checks(report)
    lucidlink_checks(report)
    gateway_checks(report)
    s3_checks(report)
    identity(report)
    token = secrets.token_hex(16)
    with open("/data/vm-test-marker", "w") as handle:
        handle.write(token)
    report.figure("cache_marker", token)
    outage(report)
    second_apply(report)


main("first-boot", body)
