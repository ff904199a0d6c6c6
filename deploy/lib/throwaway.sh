# shellcheck shell=bash disable=SC2034,SC2154,SC2317  # sourced: sets variables the caller uses
# Sourced by deploy/fault-test.sh and deploy/restore-drill.sh: what a script
# that runs its own throwaway PostgreSQL 15 cluster and a copy of varde needs.
#
#   throwaway_setup NAME VARDE    checks the binary and Debian's postgresql-15;
#       sets VARDE_SQL_DIR (given, else the sql/ of the checkout the binary was
#       built in, else ours), pg_user and as_pg (PostgreSQL as `postgres` when
#       run as root: initdb refuses root), work (a short folder under /var/tmp:
#       socket paths stay under 107 bytes and postgres reaches every folder
#       above its own) and installed (a copy of the binary with its resource
#       bundle, so a rebuild cannot swap it mid-run).
#   free_port                     a free loopback port.
throwaway_setup() {
    local name=$1 varde=$2 d
    [[ -x $varde ]] || { echo "$name: no varde binary at $varde" >&2; exit 1; }
    bin=/usr/lib/postgresql/15/bin
    [[ -x $bin/initdb ]] || { echo "$name: needs Debian's postgresql-15 ($bin)" >&2; exit 1; }
    if [[ -z ${VARDE_SQL_DIR:-} ]]; then
        VARDE_SQL_DIR=$repo/sql
        d=$(dirname "$varde")
        for _ in 1 2 3 4 5 6; do
            [[ -f $d/sql/001_events.sql ]] && { VARDE_SQL_DIR=$d/sql; break; }
            d=$(dirname "$d")
        done
    fi
    export VARDE_SQL_DIR
    if [[ $(id -u) -eq 0 ]]; then
        pg_user=postgres
        as_pg() { runuser -u postgres -- "$@"; }
    else
        pg_user=$(id -un)
        as_pg() { "$@"; }
    fi
    work=$(mktemp -d "/var/tmp/varde-$name.XXXXXX")
    chmod 711 "$work"
    mkdir -p "$work/bin"
    cp "$varde" "$work/bin/varde"
    cp -R "$(dirname "$varde")"/*.resources "$work/bin/"
    installed="$work/bin/varde"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
