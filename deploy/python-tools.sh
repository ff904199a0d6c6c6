#!/usr/bin/env bash
# Python tools the tests use (never the server): the OpenAPI validator, in a
# virtual environment under the project's data folder. Idempotent.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="${VARDE_DATA_DIR:-$repo/.varde}/venv"
if [[ ! -x $venv/bin/openapi-spec-validator ]]; then
    if ! python3 -c 'import ensurepip' 2>/dev/null; then
        echo "python-tools.sh: installing Debian's python3-venv" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq python3 python3-venv >/dev/null
    fi
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==0.7.*" "PyYAML==6.*"
fi
