#!/usr/bin/python3
"""Boots after the first, chosen by the seed flag `boot`:
  reboot       same instance, same disks: the array is assembled (never recreated), the cache data kept;
  stop-start   same instance, blank instance storage (new serials): the array is built anew;
  new-instance a second instance from the image with the CloudWatch agent failing: the boot still
               succeeds, and the instance has an identity of its own.
Every boot ends with the node healthy and the first boot's object readable through the proxy."""
import hashlib
import os
import sys

sys.path.insert(0, "/mnt/gw/boot")
from vmcheck import flag, main, run, s3_client, wait, wait_for_node_setup, wait_healthy  # noqa: E402


def array_fields():
    detail = run(["mdadm", "--detail", "--export", "/dev/md/gw-cache"]).stdout
    return dict(line.split("=", 1) for line in detail.splitlines() if "=" in line)


def marker():
    try:
        with open("/data/vm-test-marker") as handle:
            return handle.read().strip()
    except OSError:
        return None


def object_check(report):
    data = s3_client().get_object(Bucket="mycompany", Key="first-boot/object.bin")["Body"].read()
    report.check("the first boot's object is still served from the filespace", hashlib.sha256(data).hexdigest() == flag("object-sha256"))


def body(report):
    boot = flag("boot")
    setup = wait_for_node_setup(report)
    wait_healthy(report)
    fields = array_fields()
    members = [value for key, value in fields.items() if key.startswith("MD_DEVICE_") and key.endswith("_DEV")]
    applied = [line.split()[1].rstrip(":") for line in setup.splitlines() if line.startswith("apply ")]
    if boot == "reboot":
        report.check("a reboot keeps the existing array (same UUID, four members)", fields.get("MD_UUID") == flag("array-uuid") and len(members) == 4, f"{fields}")
        report.check("a reboot creates no filesystem (no mkfs)", "storage.filesystem" not in applied, f"applied: {applied}")
        report.check("a reboot keeps the cache's data", marker() == flag("cache-marker"), f"marker {marker()}")
    elif boot == "stop-start":
        report.check("a stop/start builds a new array over the blank disks", "storage.array" in applied and "storage.filesystem" in applied and len(members) == 4
                     and fields.get("MD_UUID") != flag("array-uuid"), f"applied: {applied}; {fields}")
        report.check("the new cache starts empty", marker() is None, f"marker {marker()}")
        report.check("the user data does not run again for the same instance", "already ran" in run(["journalctl", "-b", "-u", "fake-cloud-init.service", "-o", "cat"]).stdout)
    elif boot == "new-instance":
        ran, _ = wait(lambda: os.path.exists("/var/lib/fake-cloud-init/user-data-exit"), 60)
        status = open("/var/lib/fake-cloud-init/user-data-exit").read().strip() if ran else "did not finish"
        with open("/var/log/cloud-init-output.log") as handle:
            boot_log = handle.read()
        report.check("the boot succeeds although the CloudWatch agent fails", status == "0" and "simulated failure" in boot_log, f"exit {status}\n{boot_log[-1500:]}")
        report.check("the boot log names the monitoring failure", "gateway boot:" in boot_log and "CloudWatch" in boot_log, boot_log[-1500:])
        with open("/etc/machine-id") as handle:
            machine = handle.read().strip()
        with open("/var/lib/systemd/credential.secret", "rb") as handle:
            key = hashlib.sha256(handle.read()).hexdigest()
        report.check("each instance creates its own machine id and credential key",
                     machine and machine not in (flag("first-machine-id"), flag("image-machine-id")) and key != flag("first-credential-key"),
                     f"machine id {machine} vs {flag('first-machine-id')}; key {key[:12]} vs {flag('first-credential-key', '')[:12]}")
    else:
        report.check("the seed names a known boot", False, boot)
    object_check(report)


main(f"{flag('boot')}", body)
