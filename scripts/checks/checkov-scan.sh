#!/usr/bin/env bash
# usage: scripts/checks/checkov-scan.sh TERRAFORM_DIR [--exceptions FILE] [--report FILE]
#
# Scans a rendered Terraform project with checkov, offline (--skip-download, BC_SKIP_MAPPING=TRUE,
# no API key), and prints the failed checks, the checks skipped inline in the HCL with their reasons,
# and one summary line:
#   checkov: FAILED ID: resources
#   checkov: SKIPPED ID: resources (reason)
#   checkov: passed=N failed=N skipped=N parsing_errors=N resources=N
# checkov reads variable values only from defaults and *.auto.tfvars, not from terraform.tfvars.json,
# so the scan runs on a temporary copy where the JSON values are also written as an .auto.tfvars file:
# the checks see the deployment's real values.
# --exceptions FILE: also skip the check ids listed in the first column of FILE's Markdown table rows
#   (for a policy of your own; the rendered project carries its skips inline).
# --report FILE: keep checkov's JSON report.
# checkov comes from $CHECKOV, else the project's .venv-checkov, else PATH.
# Exit status: 0 no failed check; 1 failed checks, unparsable files or nothing scanned; 2 usage error or
# checkov missing (run scripts/install-test-deps.sh).
set -euo pipefail

usage() {
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
[ $# -ge 1 ] && [ -d "$1" ] || usage
directory=$1
shift
exceptions=""
report=""
while [ $# -gt 0 ]; do
    case "$1" in
        --exceptions) exceptions=${2:?}; shift 2 ;;
        --report) report=${2:?}; shift 2 ;;
        *) usage ;;
    esac
done

root=$(cd "$(dirname "$0")/../.." && pwd)
checkov=${CHECKOV:-}
if [ -z "$checkov" ] && [ -x "$root/.venv-checkov/bin/checkov" ]; then
    checkov=$root/.venv-checkov/bin/checkov
fi
if [ -z "$checkov" ]; then
    checkov=$(command -v checkov || true)
fi
if [ -z "$checkov" ]; then
    echo "checkov-scan: checkov is not installed; run scripts/install-test-deps.sh" >&2
    exit 2
fi

skips=()
if [ -n "$exceptions" ]; then
    ids=$(grep -oE '^\| *CKV2?_[A-Z0-9_]+' "$exceptions" | tr -d '| ' | sort -u | paste -sd, -)
    if [ -n "$ids" ]; then
        skips=(--skip-check "$ids")
    fi
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/checkov-scan.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/terraform" "$work/out"
cp -R "$directory"/. "$work/terraform/"
rm -rf "$work/terraform/.terraform"
if [ -f "$work/terraform/terraform.tfvars.json" ]; then
    python3 - "$work/terraform/terraform.tfvars.json" "$work/terraform/zz-rendered-values.auto.tfvars" <<'PY'
import json, sys
def hcl(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value).replace("${", "$${").replace("%{", "%%{")
    if isinstance(value, list):
        return "[" + ", ".join(hcl(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(json.dumps(key) + " = " + hcl(item) for key, item in value.items()) + "}"
    return "null"
with open(sys.argv[1]) as source, open(sys.argv[2], "w") as target:
    for key, value in json.load(source).items():
        target.write(f"{key} = {hcl(value)}\n")
PY
fi

set +e
env -u BC_API_KEY BC_SKIP_MAPPING=TRUE CHECKOV_NO_UPDATE_CHECK=1 \
    "$checkov" -d "$work/terraform" --framework terraform --skip-download --compact \
    -o json --output-file-path "$work/out" "${skips[@]}"
status=$?
set -e
json=$work/out/results_json.json
if [ ! -s "$json" ]; then
    echo "checkov-scan: checkov wrote no report (exit $status)" >&2
    exit 2
fi
if [ -n "$report" ]; then
    cp "$json" "$report"
fi
python3 - "$json" <<'PY'
import json, sys
with open(sys.argv[1]) as handle:
    data = json.load(handle)
reports = data if isinstance(data, list) else [data]
total = {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0}
failed = {}
skipped = {}
for report in reports:
    summary = report.get("summary", report)
    for key in total:
        total[key] += int(summary.get(key, 0) or 0)
    results = report.get("results") or {}
    for check in results.get("failed_checks", []):
        failed.setdefault(check["check_id"], []).append(check.get("resource", "?"))
        lines = "-".join(str(line) for line in check.get("file_line_range", []))
        print(f"Check: {check['check_id']}: {check.get('check_name', '')}\n\tFAILED for resource: {check.get('resource', '?')}\n\tFile: {check.get('file_path', '?')}:{lines}")
    for check in results.get("skipped_checks", []):
        skipped.setdefault(check["check_id"], []).append((check.get("resource", "?"), (check.get("check_result") or {}).get("suppress_comment", "")))
for check_id, resources in sorted(failed.items()):
    print(f"checkov: FAILED {check_id}: {', '.join(sorted(set(resources)))}")
for check_id, entries in sorted(skipped.items()):
    reasons = sorted(set(reason for _, reason in entries))
    print(f"checkov: SKIPPED {check_id}: {', '.join(sorted(set(resource for resource, _ in entries)))} ({'; '.join(reasons) or 'no reason given'})")
print("checkov: passed={passed} failed={failed} skipped={skipped} parsing_errors={parsing_errors} resources={resource_count}".format(**total))
sys.exit(1 if total["failed"] or total["parsing_errors"] or not total["resource_count"] else 0)
PY
