#!/usr/bin/env python3
"""Parses HCL files with python-hcl2 and prints them as one JSON object, for structural assertions:

    python3 scripts/checks/hcl-to-json.py PATH...

Keys are the paths as given (directories are walked for *.tf, *.tfvars, *.pkr.hcl and *.pkrvars.hcl,
keyed by their path relative to the directory); values are python-hcl2's dictionaries with string
quotes stripped and no comments: blocks are lists of {label: {...}}, expressions such as var.x read
"${var.x}". python-hcl2 is lenient, so this is for reading structure, not for checking syntax (use
hcl-fmt-check.py). Exit status: 0 parsed, 1 parse error or usage error.
"""
import json
import os
import sys

SUFFIXES = (".tf", ".tfvars", ".pkr.hcl", ".pkrvars.hcl")


def main(argv):
    if not argv or any(a.startswith("-") for a in argv):
        print(__doc__.strip(), file=sys.stderr)
        return 1
    try:
        import hcl2
    except ImportError as error:
        print(f"hcl-to-json: python-hcl2 is not installed ({error}); run scripts/install-test-deps.sh", file=sys.stderr)
        return 1
    options = hcl2.SerializationOptions(strip_string_quotes=True, explicit_blocks=False, with_comments=False)
    result = {}
    for path in argv:
        files = []
        if os.path.isfile(path):
            files.append((path, path))
        else:
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                files += [(os.path.join(root, n), os.path.relpath(os.path.join(root, n), path)) for n in sorted(names)]
        for full, key in files:
            if not full.endswith(SUFFIXES):
                continue
            try:
                with open(full, encoding="utf-8") as handle:
                    result[key] = hcl2.load(handle, serialization_options=options)
            except Exception as error:  # lark errors carry line and column in their message
                print(f"{full}: error: {error}", file=sys.stderr)
                return 1
    json.dump(result, sys.stdout, indent=1, sort_keys=True, default=str)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
