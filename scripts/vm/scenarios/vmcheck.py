"""What every VM test scenario shares: a report of named checks and figures written to the host's share,
bounded waits, and a clean power-off (services stopped, the cache unmounted and its array stopped first:
md's flush path on a dying guest kernel is where shutdowns hung)."""
import json
import os
import subprocess
import time
import traceback
import urllib.request

SHARE = "/mnt/gw"
OUT = f"{SHARE}/out"
SEED_FLAGS = "/run/fake-seed/flags"


class Report:
    def __init__(self, scenario):
        self.scenario = scenario
        self.checks = []
        self.figures = {}
        os.makedirs(OUT, exist_ok=True)

    def check(self, name, ok, detail=""):
        self.checks.append({"name": name, "ok": bool(ok), "detail": str(detail)[-3000:]})
        print(f"check {'PASS' if ok else 'FAIL'}: {name}: {str(detail)[-300:]}", flush=True)
        self.write()
        return bool(ok)

    def figure(self, name, value):
        self.figures[name] = value
        self.write()

    def write(self):
        temporary = f"{OUT}/results.json.tmp"
        with open(temporary, "w") as handle:
            json.dump({"scenario": self.scenario, "checks": self.checks, "figures": self.figures}, handle, indent=1)
        os.replace(temporary, f"{OUT}/results.json")


def run(argv, timeout=120, check=False, input=None):
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, input=input)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {result.returncode}: {result.stderr.strip()[-500:]}")
    return result


def wait(predicate, timeout, interval=0.2):
    """Polls `predicate` until it is true or `timeout` seconds pass; returns (ok, seconds waited)."""
    started = time.monotonic()
    while True:
        try:
            if predicate():
                return True, time.monotonic() - started
        except Exception:
            pass
        if time.monotonic() - started > timeout:
            return False, time.monotonic() - started
        time.sleep(interval)


def uptime():
    with open("/proc/uptime") as handle:
        return float(handle.read().split()[0])


def unit(name, *properties):
    output = run(["systemctl", "show", name, "--property=" + ",".join(properties)]).stdout
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)


def http_status(url, timeout=2):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except Exception:
        return None


def flag(name, default=None):
    try:
        with open(f"{SEED_FLAGS}/{name}") as handle:
            return handle.read().strip()
    except OSError:
        return default


def journal(unit_name, lines=400):
    return run(["journalctl", "-b", "-u", unit_name, "-o", "cat", "--no-pager", "-n", str(lines)]).stdout


def wait_for_node_setup(report, timeout=900):
    """Waits until gateway-node.service has finished (active or failed) and records the outcome."""
    def finished():
        state = unit("gateway-node.service", "ActiveState")["ActiveState"]
        return state in ("active", "failed")
    ok, waited = wait(finished, timeout, interval=0.5)
    state = unit("gateway-node.service", "ActiveState", "Result")
    setup = journal("gateway-node.service")
    succeeded = report.check("node setup succeeded", ok and state.get("ActiveState") == "active", f"{state}\n{setup[-2500:]}")
    with open(f"{OUT}/gateway-node.log", "w") as handle:
        handle.write(setup)
    report.node_setup_failed = not succeeded
    return setup


def wait_healthy(report, timeout=300):
    # After a failed setup nothing more will start: a short wait shows the state without hiding the cause.
    timeout = 20 if getattr(report, "node_setup_failed", False) else timeout
    ok, _ = wait(lambda: http_status("http://127.0.0.1:8000/_gateway/health") == 200, timeout, interval=0.2)
    report.figure("boot_to_healthy_seconds", round(uptime(), 1))
    report.check("proxy health is 200", ok, f"GET /_gateway/health: {http_status('http://127.0.0.1:8000/_gateway/health')}")
    return ok


def s3_client():
    import boto3
    from botocore.config import Config
    key = open("/run/fake-ssm/gateway/" + flag("deployment") + "/gateway/rootAccessKey").read().strip()
    secret = open("/run/fake-ssm/gateway/" + flag("deployment") + "/gateway/rootSecretKey").read().strip()
    return boto3.client("s3", endpoint_url="http://127.0.0.1:8000", aws_access_key_id=key, aws_secret_access_key=secret,
                        region_name="us-east-1", config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                                               connect_timeout=5, read_timeout=30))


def power_off():
    for name in ["gateway-proxy.service", "versitygw@7070.service", "versitygw@7071.service", "versitygw@7072.service"]:
        run(["systemctl", "stop", name], timeout=60)
    run(["sh", "-c", "systemctl stop 'lucidlink-*.service'"], timeout=60)
    run(["umount", "/data"], timeout=60)
    run(["mdadm", "--stop", "/dev/md/gw-cache"], timeout=60)
    run(["sync"], timeout=60)
    with open(f"{OUT}/done", "w") as handle:
        handle.write("done\n")
    run(["sync"], timeout=60)
    subprocess.run(["systemctl", "poweroff", "--force", "--force"])


def main(scenario, body):
    report = Report(scenario)
    try:
        body(report)
    except Exception:
        report.check("scenario ran to its end", False, traceback.format_exc())
    else:
        report.check("scenario ran to its end", True)
    finally:
        run(["sh", "-c", f"journalctl -b -o short-monotonic --no-pager > {OUT}/journal.log"], timeout=120)
        for name in ["cloud-init-output.log", "syslog"]:
            try:
                with open(f"/var/log/{name}") as source, open(f"{OUT}/{name}", "w") as target:
                    target.write(source.read()[-200000:])
            except OSError:
                pass
        power_off()
