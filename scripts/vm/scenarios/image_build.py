#!/usr/bin/python3
"""Boot 1, the image build: runs the rendered packer/scripts/provision.sh as Packer's shell provisioner
would (as root, with the template's environment, after the file provisioners copied the node bundle and
gw-cli to the staging directory), then checks what the image holds."""
import glob
import os
import subprocess
import sys
import time

sys.path.insert(0, "/mnt/gw/boot")
from vmcheck import OUT, SHARE, main, run  # noqa: E402


def body(report):
    with open("/etc/machine-id") as handle:
        report.figure("build_machine_id", handle.read().strip())
    run(["rm", "-rf", "/tmp/gateway-node"])
    run(["cp", "-R", f"{SHARE}/staging", "/tmp/gateway-node"], check=True)
    environment = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root"}
    with open(f"{SHARE}/provision.env") as handle:
        for line in handle.read().splitlines():
            name, _, value = line.partition("=")
            environment[name] = value
    started = time.monotonic()
    with open(f"{OUT}/provision.log", "w") as log:
        result = subprocess.run(["bash", f"{SHARE}/provision.sh"], env=environment, stdout=log, stderr=subprocess.STDOUT, timeout=1800)
    report.figure("provision_seconds", round(time.monotonic() - started, 1))
    with open(f"{OUT}/provision.log") as handle:
        log = handle.read()
    report.check("the rendered provision.sh succeeds", result.returncode == 0, f"exit {result.returncode}\n{log[-2500:]}")

    version = run(["/usr/local/bin/gw-cli", "--version"])
    ldd = run(["ldd", "/usr/local/bin/gw-cli"])
    report.check("gw-cli runs on the image without the Swift toolchain",
                 version.returncode == 0 and not os.path.exists("/opt/swift") and "swift" not in ldd.stdout.lower() and "not found" not in ldd.stdout,
                 f"--version: {version.returncode} {version.stdout.strip()} {version.stderr.strip()[-300:]}\nldd:\n{ldd.stdout}")
    report.check("LucidLink client, VersityGW and the CloudWatch agent are installed",
                 all(os.access(path, os.X_OK) for path in ["/usr/local/bin/lucid3", "/usr/local/bin/versitygw", "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl"]),
                 run(["ls", "-l", "/usr/local/bin", "/opt/aws/amazon-cloudwatch-agent/bin"]).stdout)
    enabled = run(["systemctl", "is-enabled", "gateway-node.service"]).stdout.strip()
    report.check("the node setup unit is installed but not enabled", os.path.isfile("/etc/systemd/system/gateway-node.service") and enabled != "enabled", f"is-enabled: {enabled}")
    report.check("the image holds no machine id", os.path.getsize("/etc/machine-id") == 0, f"{os.path.getsize('/etc/machine-id')} bytes")
    report.check("the image holds no systemd credential key", not os.path.exists("/var/lib/systemd/credential.secret"))
    state = glob.glob("/var/lib/fake-lucidlink/*") + glob.glob("/root/.lucid*") + glob.glob("/home/*/.lucid*") + glob.glob("/data/*") + glob.glob("/etc/credstore.encrypted/*")
    report.check("the image holds no LucidLink client state or credentials", not state, f"found: {state}")


main("image-build", body)
