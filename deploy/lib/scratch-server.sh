# Sourced by deploy/walkthrough.sh and deploy/fuzz.sh: `scratch_server VARDE`
# creates a database of its own in the cluster the PG* variables name,
# migrates it, starts `VARDE serve --dev-auth` (as varde_runtime) on a free loopback port and
# waits until it is ready. Sets `work` (a scratch folder), `port` and `url`;
# an EXIT trap stops the server and drops the database and the folder.
# `scratch_port` picks the port beforehand (for settings that name the URL);
# `scratch_dev_auth=no` leaves out --dev-auth (an identity provider set by
# VARDE_* variables signs people in instead).
scratch_server() {
    local varde=$1
    work=$(mktemp -d)
    scratch_database="varde_scratch_$$"
    port=${scratch_port:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
    url="http://localhost:$port"
    scratch_pid=""
    trap scratch_cleanup EXIT
    createdb "$scratch_database"
    export PGDATABASE=$scratch_database VARDE_DATA_DIR="$work/data"
    # Migrations as the owner (the PG* variables' user), the server as the
    # runtime role, as in production (sql/README.md), when the role exists.
    "$varde" migrate > "$work/migrate.log"
    local as_runtime=()
    if psql -tAXc "SELECT 1 FROM pg_roles WHERE rolname = 'varde_runtime'" | grep -q 1; then as_runtime=(PGUSER=varde_runtime); fi
    local auth=(--dev-auth)
    [[ ${scratch_dev_auth:-yes} == no ]] && auth=()
    env "${as_runtime[@]}" "$varde" serve "${auth[@]}" --port "$port" > "$work/server.log" 2>&1 &
    scratch_pid=$!
    for _ in $(seq 100); do
        curl -sf "$url/readyz" > /dev/null && return 0
        kill -0 "$scratch_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "the server did not start:" >&2
    cat "$work/server.log" >&2
    return 1
}

scratch_cleanup() {
    # Under the caller's `set -e`, a failing step here would end the trap early.
    if [[ -n $scratch_pid ]]; then kill "$scratch_pid" 2>/dev/null && wait "$scratch_pid" 2>/dev/null || true; fi
    dropdb --if-exists "$scratch_database" 2>/dev/null || true
    rm -rf "$work"
}
