// Shared provisioning: rendering, terraform/packer drivers and workspaces.
