#!/usr/bin/env bash
# Python tools the tests use (never the server): the OpenAPI validator, and
# the local OpenID Connect test provider's packages with pytest for its own
# tests, in a virtual environment under the project's data folder.
# Idempotent: pip runs only when the venv has no stamp of the current
# deploy/python-requirements.txt (its SHA-256), so editing that file is
# enough to upgrade existing venvs, and an unchanged one costs nothing.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv="${VARDE_DATA_DIR:-$repo/.varde}/venv"
requirements=$repo/deploy/python-requirements.txt
stamp=$venv/.varde-requirements.sha256
want=$(sha256sum "$requirements" | cut -d' ' -f1)
if [[ -x $venv/bin/python && -f $stamp && $(<"$stamp") == "$want" ]]; then
    exit 0
fi
if [[ ! -x $venv/bin/python ]]; then
    if ! python3 -c 'import ensurepip' 2>/dev/null; then
        echo "python-tools.sh: installing Debian's python3-venv" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq python3 python3-venv >/dev/null
    fi
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
# Written only after pip succeeded, so a failed install is retried next time.
printf '%s\n' "$want" >"$stamp.tmp"
mv "$stamp.tmp" "$stamp"
