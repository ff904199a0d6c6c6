#!/usr/bin/env bash
# Fault test: ingest keeps every acknowledged reading, exactly once, through a
# SIGKILL of the server, a restart of PostgreSQL and a graceful drain
# (SIGTERM during ingest and long polls).
#
#   deploy/fault-test.sh [path/to/varde [driver options]]   (default .build/debug/varde)
#
# Driver options (`python3 deploy/lib/fault_test.py --help`): --writers,
# --patients, --kills, --phase, --pg-down, --down-limit, --seed, --no-pg-stop,
# --no-drain, --no-slow-client, --ready-limit, --poll-limit, … The drain alone:
# `deploy/fault-test.sh .build/debug/varde --kills 0 --no-pg-stop`.
#
# A throwaway PostgreSQL 15 cluster of its own (never the shared test
# cluster), roles and migrations as in production, the server as
# varde_runtime with development sign-in on a free loopback port. The driver
# (deploy/lib/fault_test.py, standard library only) sets up teams, a gateway
# and patients with bound devices, runs gateway threads that post batches and
# retry every unanswered, failed or 5xx batch with the same ids and content,
# SIGKILLs the server mid-ingest and starts it again, stops PostgreSQL
# (immediate) mid-ingest and starts it again, sends SIGTERM mid-ingest while
# nurses hold long polls and checks the drain (/readyz 503 at once, every poll
# answered, in-flight ingest answered, the process ended within its drain
# timeout with status 0, no error in its log), and then checks the database:
# every acknowledged reading stored once with the acknowledged event id,
# nothing stored that was not sent, the read model caught up, `varde verify`
# passing. While PostgreSQL is down every answer must be a 503 with
# Retry-After within ~2 s, and the server must recover without a restart.
# Exit 1 on any violation. Everything lives in one temporary folder, removed
# at the end (KEEP=1 keeps it). Run as root it runs PostgreSQL as `postgres`.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
V=$(realpath "${1:-$repo/.build/debug/varde}")
(( $# )) && shift
source "$repo/deploy/lib/throwaway.sh"
throwaway_setup fault "$V"
started=$(date +%s.%N)
mkdir -p "$work"/{pg,run,log,data}
chown "$pg_user" "$work"/{pg,run,log}
chmod 700 "$work/pg"
# The migrations are copied too: /readyz compares the applied ones with the folder.
cp -R "$VARDE_SQL_DIR" "$work/sql"
export VARDE_SQL_DIR=$work/sql
pg_port=$(free_port)

driver_pid=""
cleanup() {
    local status=$?
    # The driver stops the server it started; if it was itself cut short, the
    # server's pid is in its file.
    if [[ -n $driver_pid ]]; then kill "$driver_pid" 2>/dev/null || true; fi
    # Only if that pid is still our copy of the binary.
    if [[ -f $work/server.pid ]]; then
        local pid
        pid=$(<"$work/server.pid")
        if [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == "$work/bin/varde" ]]; then kill -9 "$pid" 2>/dev/null || true; fi
    fi
    [[ -f $work/pg/postmaster.pid ]] && as_pg "$bin/pg_ctl" -D "$work/pg" -m immediate stop > /dev/null 2>&1
    if (( status != 0 )); then
        # The evidence outlives the folder: the server's and PostgreSQL's logs.
        local keep="${VARDE_DATA_DIR:-$repo/.varde}/fault-test-logs"
        rm -rf "$keep" && mkdir -p "$keep" && cp "$work"/log/*.log "$keep"/ 2>/dev/null &&
            echo "fault-test: the logs of the failed run are in $keep" >&2
        tail -n 5 "$work/log/server.log" >&2 2>/dev/null || true
    fi
    if [[ ${KEEP:-0} == 1 ]]; then echo "fault-test: kept $work" >&2; else rm -rf "$work"; fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "fault-test: a throwaway PostgreSQL 15 cluster on port $pg_port" >&2
as_pg "$bin/initdb" -D "$work/pg" -U "$pg_user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 > "$work/log/initdb.log"
# fsync off as in the test cluster: an immediate stop loses nothing the
# kernel has (only a machine crash would). Commits still wait for the WAL write.
cat >> "$work/pg/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$work/run'
fsync = off
full_page_writes = off
max_connections = 60
CONF
# pg_ctl's server keeps the standard output it inherits: send it to the log.
as_pg "$bin/pg_ctl" -D "$work/pg" -l "$work/log/postgres.log" -o "-p $pg_port" -w start > /dev/null

echo "fault-test: roles, database, migrations (as varde_owner)" >&2
export PGHOST=$work/run PGPORT=$pg_port
psql -U "$pg_user" -d postgres -XqAt -v ON_ERROR_STOP=1 \
    -c "SET client_min_messages = warning" -f "$VARDE_SQL_DIR/roles.sql" > /dev/null
psql -U "$pg_user" -d postgres -XqAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE varde OWNER varde_owner"
PGDATABASE=varde PGUSER=varde_owner "$work/bin/varde" migrate > "$work/log/migrate.log"

# The driver starts and kills the server, restarts PostgreSQL, and checks.
python3 "$repo/deploy/lib/fault_test.py" \
    --varde "$work/bin/varde" --work "$work" \
    --pg-ctl "$bin/pg_ctl" --pg-data "$work/pg" --pg-port "$pg_port" --pg-host "$work/run" \
    --pg-superuser "$pg_user" "$@" &
driver_pid=$!
set +e
wait "$driver_pid"
status=$?
set -e
driver_pid=""
total=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if (( status != 0 )); then
    echo "fault-test: FAILED after $total s" >&2
    exit 1
fi
echo "fault-test: passed in $total s"
