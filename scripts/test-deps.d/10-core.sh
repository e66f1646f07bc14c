# Foundation tests: a third-party JSON Schema validator checks `gw-cli schema` against the example.
PIP_PACKAGES+=(jsonschema pyyaml)
# The test watchdog (scripts/test-watchdog.py) prints the threads of a hung test process with gdb.
APT_PACKAGES+=(gdb)
