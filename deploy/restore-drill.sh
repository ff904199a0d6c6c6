#!/usr/bin/env bash
# Backup and restore drill: point-in-time recovery of the event log, proven by
# `varde verify --heads` against stream heads kept outside the database.
#
#   deploy/restore-drill.sh [path/to/varde]      (default .build/debug/varde)
#
# A throwaway PostgreSQL 15 cluster with WAL archiving; roles, database and
# migrations as in production; events; a base backup; more events; the heads
# written to a file; then damage (the last events deleted by a superuser with
# the guard trigger disabled). The damaged log must fail the heads check; the
# base backup plus the archived WAL, replayed to the moment before the damage,
# must pass it. Everything lives in one temporary folder, removed at the end
# (KEEP=1 keeps it). Needs Debian's postgresql-15; run as root it runs
# PostgreSQL as the `postgres` user.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
V=$(realpath "${1:-$repo/.build/debug/varde}")
source "$repo/deploy/lib/throwaway.sh"
throwaway_setup drill "$V"
started=$(date +%s.%N)
mkdir -p "$work"/{a,base,archive,run,log}
chown "$pg_user" "$work"/{a,base,archive,run,log}
chmod 700 "$work/a" "$work/base"
port_a=$(free_port)
port_b=$(free_port)

cleanup() {
    local status=$?
    for c in a b; do
        [[ -f $work/$c/postmaster.pid ]] && as_pg "$bin/pg_ctl" -D "$work/$c" -m immediate stop > /dev/null 2>&1
    done
    if (( status != 0 )); then
        echo "restore-drill: FAILED (exit $status); server logs:" >&2
        tail -n 20 "$work"/log/*.log >&2 2>/dev/null || true
    fi
    if [[ ${KEEP:-0} == 1 ]]; then echo "restore-drill: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

last=$started
timings=()
step() {  # step "what": records how long the step before it took
    local now
    now=$(date +%s.%N)
    [[ -n ${current:-} ]] && timings+=("$(awk -v a="$last" -v b="$now" -v w="$current" 'BEGIN { printf "%6.2f s  %s", b - a, w }')")
    last=$now
    current=$1
    echo "restore-drill: $1" >&2
}

sql() {  # sql PORT DATABASE STATEMENT: as the cluster's superuser, one value
    psql -h "$work/run" -p "$1" -U "$pg_user" -d "$2" -XtAq -v ON_ERROR_STOP=1 -c "$3"
}
varde_as() {  # varde_as PORT ROLE ARGS...: a varde command connected as ROLE
    local port=$1 role=$2
    shift 2
    PGHOST="$work/run" PGPORT=$port PGDATABASE=varde PGUSER=$role "$installed" "$@"
}

step "a cluster with WAL archiving"
as_pg "$bin/initdb" -D "$work/a" -U "$pg_user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 > "$work/initdb.log"
# Archive each finished WAL segment; never overwrite one already archived.
cat >> "$work/a/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$work/run'
wal_level = replica
archive_mode = on
archive_command = 'test ! -f $work/archive/%f && cp %p $work/archive/%f'
CONF
# pg_ctl's server keeps the standard output it inherits: send it to the log.
as_pg "$bin/pg_ctl" -D "$work/a" -l "$work/log/a.log" -o "-p $port_a" -w start > /dev/null

step "roles, database, migrations (as varde_owner)"
psql -h "$work/run" -p "$port_a" -U "$pg_user" -d postgres -XqAt -v ON_ERROR_STOP=1 \
    -c "SET client_min_messages = warning" -f "$VARDE_SQL_DIR/roles.sql" > /dev/null
sql "$port_a" postgres "CREATE DATABASE varde OWNER varde_owner"
varde_as "$port_a" varde_owner migrate > "$work/migrate.out"

step "events before the backup (gateways registered as varde_operator)"
for i in 1 2 3; do varde_as "$port_a" varde_operator gateway create --name "drill hub $i" > "$work/gateway-$i.out"; done

step "base backup (pg_basebackup)"
as_pg "$bin/pg_basebackup" -h "$work/run" -p "$port_a" -U "$pg_user" -D "$work/base" -X stream -c fast
events_at_backup=$(sql "$port_a" varde "SELECT count(*) FROM events")

step "events after the backup (gateways, a key revoked)"
for i in 4 5 6 7; do varde_as "$port_a" varde_operator gateway create --name "drill hub $i" > "$work/gateway-$i.out"; done
read -r _ gateway _ key < <(head -1 "$work/gateway-7.out")
varde_as "$port_a" varde_operator gateway revoke --gateway "$gateway" --key "$key" > /dev/null

step "varde verify --heads-out (the heads kept outside the cluster)"
varde_as "$port_a" varde_operator verify --heads-out "$work/heads.json" > "$work/verify-a.out"
events_before_damage=$(sql "$port_a" varde "SELECT count(*) FROM events")
last_position=$(sql "$port_a" varde "SELECT max(position) FROM events")
# The moment to recover to: after the last good commit, before the damage.
target=$(sql "$port_a" varde "SELECT clock_timestamp()")
sleep 0.5

step "damage: the last 3 events deleted by a superuser, guard trigger disabled"
sql "$port_a" varde "BEGIN;
  ALTER TABLE events DISABLE TRIGGER events_no_update_delete;
  DELETE FROM events WHERE position > $last_position - 3;
  ALTER TABLE events ENABLE TRIGGER events_no_update_delete;
COMMIT" > /dev/null
events_damaged=$(sql "$port_a" varde "SELECT count(*) FROM events")

step "the damaged log fails varde verify --heads"
if varde_as "$port_a" varde_operator verify --heads "$work/heads.json" > "$work/verify-damaged.out" 2>&1; then
    echo "restore-drill: the damaged log passed the heads check" >&2
    cat "$work/verify-damaged.out" >&2
    exit 1
fi
damaged_verdict=$(grep -E '^(FAILED|OK)' "$work/verify-damaged.out" | tail -1)
damaged_break=$(grep -m1 '^BROKEN CHAIN' "$work/verify-damaged.out" || true)

step "the WAL holding the damage archived, the damaged cluster stopped"
segment=$(sql "$port_a" varde "SELECT pg_walfile_name(pg_switch_wal())")
for _ in $(seq 100); do [[ -f $work/archive/$segment ]] && break; sleep 0.1; done
[[ -f $work/archive/$segment ]] || { echo "restore-drill: $segment was not archived" >&2; exit 1; }
as_pg "$bin/pg_ctl" -D "$work/a" -m fast stop > /dev/null

step "restore: the base backup, archived WAL replayed to $target"
cp -a "$work/base" "$work/b"
chmod 700 "$work/b"
cat >> "$work/b/postgresql.auto.conf" <<CONF
archive_mode = off
restore_command = 'cp $work/archive/%f %p'
recovery_target_time = '$target'
recovery_target_action = 'promote'
CONF
as_pg touch "$work/b/recovery.signal"
as_pg "$bin/pg_ctl" -D "$work/b" -l "$work/log/b.log" -o "-p $port_b" -w start > /dev/null
# pg_ctl returns once the server takes connections; recovery ends with the promotion.
for _ in $(seq 300); do [[ $(sql "$port_b" varde "SELECT pg_is_in_recovery()") == f ]] && break; sleep 0.1; done
[[ $(sql "$port_b" varde "SELECT pg_is_in_recovery()") == f ]] || { echo "restore-drill: recovery did not end" >&2; exit 1; }
events_restored=$(sql "$port_b" varde "SELECT count(*) FROM events")

step "the restored log passes varde verify --heads"
varde_as "$port_b" varde_operator verify --heads "$work/heads.json" > "$work/verify-b.out"
restored_verdict=$(grep -E '^(FAILED|OK)' "$work/verify-b.out" | tail -1)
(( events_restored == events_before_damage )) ||
    { echo "restore-drill: restored $events_restored events, expected $events_before_damage" >&2; exit 1; }
step "done"

total=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
echo
echo "Restore drill (PostgreSQL $(sql "$port_b" postgres "SHOW server_version"), $V, $VARDE_SQL_DIR)"
printf '%s\n' "${timings[@]}"
printf "%6s s  in all\n" "$total"
echo "events: $events_at_backup at the base backup, $events_before_damage when the heads were written, $events_damaged after the damage, $events_restored restored"
echo "WAL segments archived: $(find "$work/archive" -type f | wc -l); recovered to $target"
echo "recovery: $(grep -o 'recovery stopping before .*' "$work/log/b.log" | head -1)"
echo "damaged cluster:  $damaged_verdict"
echo "                  $damaged_break"
echo "restored cluster: $restored_verdict"
