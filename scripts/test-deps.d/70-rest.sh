# REST front (issue 7): curl follows the Server-Sent Events streams in the end-to-end tests;
# schemathesis checks the running server against its own /openapi.json. schemathesis pins many
# libraries (hypothesis, jsonschema, ...), so it gets a venv of its own: .venv-schemathesis.
APT_PACKAGES+=(curl)
EXTRA_VENVS="${EXTRA_VENVS:+$EXTRA_VENVS;}schemathesis:schemathesis==4.32.5"
