#!/usr/bin/env bash
# A private PostgreSQL 15 for development and tests, under the project's data
# folder. Idempotent: installs Debian's packages when missing, initialises the
# cluster once, starts it when it is not running, and prints how to connect.
#
#   deploy/postgres.sh            the durable cluster (fsync on) for the server
#                                 and benchmarks: port 54329, $VARDE_DATA_DIR/pg
#   deploy/postgres.sh --test     a second cluster for the test suite with
#                                 fsync=off: port 54330, $VARDE_DATA_DIR/pg-test
#   deploy/postgres.sh --stop [--test]   stop one
#
# Environment: VARDE_DATA_DIR (default <repo>/.varde), VARDE_PG_PORT.
# Connection settings are written to $VARDE_DATA_DIR/pg.env or pg-test.env
# (PG* variables, so psql, libpq and varde all find the database); they name
# the cluster's superuser, which runs `varde migrate`. `varde serve` connects
# as varde_runtime (PGUSER=varde_runtime), created here by sql/roles.sql.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data_home=${VARDE_DATA_DIR:-$repo/.varde}
stop=0
test_cluster=0
for arg in "$@"; do
    case $arg in
        --stop) stop=1 ;;
        --test) test_cluster=1 ;;
        *) echo "usage: deploy/postgres.sh [--test] [--stop]" >&2; exit 2 ;;
    esac
done
if (( test_cluster )); then
    name=pg-test; port=${VARDE_PG_PORT:-54330}; fsync=off
else
    name=pg; port=${VARDE_PG_PORT:-54329}; fsync=on
fi

log() { echo "postgres.sh: $*" >&2; }

installed_now=0
if ! command -v pg_config >/dev/null || ! ls /usr/lib/postgresql/15/bin/initdb >/dev/null 2>&1; then
    log "installing postgresql-15 and libpq-dev from Debian"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql-15 postgresql-contrib libpq-dev pkg-config >/dev/null
    installed_now=1
fi
bin=/usr/lib/postgresql/15/bin

# initdb refuses root: as root, the cluster belongs to the `postgres` user.
if [[ $(id -u) -eq 0 ]]; then
    owner=postgres
    as_owner() { runuser -u postgres -- "$@"; }
else
    owner=$(id -un)
    as_owner() { "$@"; }
fi

mkdir -p "$data_home"
pg_home="$data_home/$name"
# Every folder above the cluster must be reachable by its owner, and a Unix
# socket path must stay under 107 bytes; otherwise fall back to /var/tmp.
if [[ $owner == postgres ]] && ! runuser -u postgres -- test -x "$data_home"; then
    pg_home="/var/tmp/varde-$name-$(echo -n "$repo" | sha1sum | cut -c1-12)"
fi
if (( ${#pg_home} > 80 )); then
    pg_home="/var/tmp/varde-$name-$(echo -n "$repo" | sha1sum | cut -c1-12)"
fi
pgdata="$pg_home/data"
sockdir="$pg_home/run"
mkdir -p "$pg_home" "$sockdir"
chown "$owner" "$pg_home" "$sockdir"
chmod 700 "$pg_home"
chmod 755 "$sockdir"
[[ $owner == postgres ]] && chmod 711 "$pg_home"

if (( stop )); then
    as_owner "$bin/pg_ctl" -D "$pgdata" -m fast stop || true
    exit 0
fi

if [[ ! -f $pgdata/PG_VERSION ]]; then
    log "initialising a cluster in $pgdata"
    as_owner "$bin/initdb" -D "$pgdata" -U "$owner" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
fi

# The test cluster serves every suite at once, each test app with its own
# pool: 600 connections ran out when a slow host kept more of them alive.
connections=600
if [[ $fsync == off ]]; then connections=1500; fi
opts="-p $port -k $sockdir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c synchronous_commit=$fsync -c full_page_writes=$fsync -c max_connections=$connections -c shared_buffers=512MB"
# The durable cluster checkpoints by time (5 min, spread), not every 40 s
# because 1 GB of WAL filled: at thousands of readings a second the default
# max_wal_size made checkpoints back to back, each page's first change after
# one a full-page image, which lz4 shrinks (docs/operations.md, "PostgreSQL
# settings").
if [[ $fsync == on ]]; then opts+=" -c max_wal_size=8GB -c wal_compression=lz4"; fi

running=0
as_owner "$bin/pg_ctl" -D "$pgdata" status >/dev/null 2>&1 && running=1
# A cluster started with other settings, or under a server that apt just
# upgraded, is restarted.
if (( running )); then
    if (( installed_now )) || [[ "$(cat "$pg_home/opts" 2>/dev/null)" != "$opts" ]]; then
        log "restarting the cluster (settings or server changed)"
        as_owner "$bin/pg_ctl" -D "$pgdata" -m fast stop >/dev/null
        running=0
    fi
fi
if (( ! running )); then
    as_owner "$bin/pg_ctl" -D "$pgdata" -l "$pg_home/server.log" -o "$opts " -w start >/dev/null
    echo "$opts" > "$pg_home/opts"
    log "started PostgreSQL 15 on $sockdir port $port (fsync=$fsync)"
fi

export PGHOST=$sockdir PGPORT=$port PGUSER=$owner
if ! psql -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'varde'" | grep -q 1; then
    psql -d postgres -qc "CREATE DATABASE varde"
fi
# The roles (cluster-wide, idempotent): varde_runtime for `varde serve`,
# varde_operator for rebuild/verify/export, varde_owner. Here migrations run
# as the cluster's superuser, which then owns the tables (sql/README.md).
psql -d postgres -qX -v ON_ERROR_STOP=1 -c "SET client_min_messages = warning" -f "$repo/sql/roles.sql" >/dev/null
cat > "$data_home/$name.env" <<ENV
export PGHOST=$sockdir
export PGPORT=$port
export PGUSER=$owner
export PGDATABASE=varde
ENV
log "connect with: source $data_home/$name.env && psql"
