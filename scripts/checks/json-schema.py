#!/usr/bin/env python3
"""Validates JSON documents against a JSON Schema (draft 7) with the jsonschema package:

    python3 scripts/checks/json-schema.py SCHEMA DOCUMENT...

The schema itself is checked first. Prints every violation as DOCUMENT: /json/pointer: message.
Exit status: 0 every document is valid, 2 violations, 1 usage error, unreadable input or an
invalid schema.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("json-schema.py: the jsonschema package is missing; run scripts/install-test-deps.sh", file=sys.stderr)
    sys.exit(1)


def main(argv):
    if len(argv) < 2 or any(arg.startswith("-") for arg in argv):
        print(__doc__.strip(), file=sys.stderr)
        return 1
    try:
        with open(argv[0], encoding="utf-8") as handle:
            schema = json.load(handle)
        jsonschema.Draft7Validator.check_schema(schema)
    except (OSError, ValueError, jsonschema.SchemaError) as error:
        print(f"{argv[0]}: {error}", file=sys.stderr)
        return 1
    validator = jsonschema.Draft7Validator(schema)
    failed = False
    for path in argv[1:]:
        try:
            with open(path, encoding="utf-8") as handle:
                document = json.load(handle)
        except (OSError, ValueError) as error:
            print(f"{path}: {error}", file=sys.stderr)
            return 1
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
            pointer = "/" + "/".join(str(part) for part in error.absolute_path)
            print(f"{path}: {pointer}: {error.message}")
            failed = True
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
