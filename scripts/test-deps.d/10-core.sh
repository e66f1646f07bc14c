# Foundation tests: a third-party JSON Schema validator checks `gw-cli schema` against the example.
PIP_PACKAGES+=(jsonschema pyyaml)
