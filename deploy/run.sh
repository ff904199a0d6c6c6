#!/usr/bin/env bash
# Runs Varde on this machine: a private PostgreSQL 15 (durable, fsync on), a
# release build, migrations, then the server with development sign-in
# (`varde token issue` makes tokens it trusts). Extra arguments go to
# `varde serve`, e.g. `deploy/run.sh --port 9090`.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
deploy/postgres.sh
source "${VARDE_DATA_DIR:-$repo/.varde}/pg.env"
swift build -c release --product varde
.build/release/varde migrate
exec .build/release/varde serve --dev-auth "$@"
