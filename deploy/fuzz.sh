#!/usr/bin/env bash
# Property-based fuzzing of the whole HTTP API from its own OpenAPI document
# (schemathesis, from PyPI): every operation, as every staff role and as a
# gateway, with generated valid and invalid input; fails on any 5xx. Not part
# of `deploy/test.sh` (it takes a few minutes); run it by hand:
#
#   source .varde/pg-test.env && deploy/fuzz.sh [path/to/varde] [examples per operation]
#
# The server listens on a free loopback port and uses a database of its own,
# dropped at the end.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
V=$(realpath "${1:-.build/debug/varde}")
examples=${2:-30}
venv="${VARDE_DATA_DIR:-$repo/.varde}/venv-fuzz"
[[ -x $venv/bin/schemathesis ]] || { python3 -m venv "$venv" && "$venv/bin/pip" install -q 'schemathesis>=4,<5'; }

export VARDE_SQL_DIR="$repo/sql"
source deploy/lib/scratch-server.sh
scratch_server "$V"

# Something to find: two teams, a patient with a device, a gateway key.
J='content-type: application/json'
admin=$("$V" token issue --role admin --subject fuzz-admin)
kommune=$(curl -sf "$url/v1/teams" -H "Authorization: Bearer $admin" -H "$J" -d '{"name":"K","kind":"kommune","kommunenummer":"5001"}' | jq -r .id)
sykehus=$(curl -sf "$url/v1/teams" -H "Authorization: Bearer $admin" -H "$J" -d '{"name":"S","kind":"sykehus","healthTrust":"HF"}' | jq -r .id)
clinician=$("$V" token issue --role clinician --team "$kommune" --subject fuzz-clinician)
curl -sf "$url/v1/patients" -H "Authorization: Bearer $clinician" -H "$J" -d "{\"nationalId\":\"31129956715\",\"kommunenummer\":\"5001\",
  \"program\":\"kols\",\"teams\":{\"kommune\":\"$kommune\",\"sykehus\":\"$sykehus\"}}" > /dev/null
gateway=$(curl -sf "$url/v1/gateways" -H "Authorization: Bearer $admin" -H "$J" -d "{\"name\":\"fuzz\",\"teams\":[\"$kommune\"]}" | jq -r .apiKey)
curl -sf "$url/openapi.yaml" > "$work/openapi.yaml"

failed=0
for role in admin clinician nurse auditor gateway; do
    case $role in
        admin) token=$admin ;; clinician) token=$clinician ;; gateway) token=$gateway ;;
        nurse) token=$("$V" token issue --role nurse --team "$kommune" --subject fuzz-nurse) ;;
        auditor) token=$("$V" token issue --role auditor --subject fuzz-auditor) ;;
    esac
    # Exit 1 also covers schemathesis's own generation errors, so judge by its summary line.
    "$venv/bin/schemathesis" run "$work/openapi.yaml" --url "$url" -H "Authorization: Bearer $token" \
        --checks not_a_server_error --max-examples "$examples" --workers 2 > "$work/$role.log" 2>&1 || true
    summary=$(grep -E '^ +[0-9]+ generated' "$work/$role.log" | tail -1 | xargs)
    echo "fuzz as $role: ${summary:-no summary}"
    if ! grep -qE '^ +([0-9]+) generated, \1 passed$' "$work/$role.log"; then
        failed=1
        sed -n '/FAILURES/,/^=.*summary/p' "$work/$role.log" | head -60
    fi
done
if grep -qiE '\b(critical|error)\b' <(grep -v 'DEVELOPMENT SIGN-IN' "$work/server.log"); then
    echo "fuzz: the server logged errors:"; grep -iE '\b(critical|error)\b' "$work/server.log" | grep -v 'DEVELOPMENT SIGN-IN' | head -20
    failed=1
fi
if grep -q 31129956715 "$work/server.log"; then echo "fuzz: a fødselsnummer reached the server log"; failed=1; fi
(( failed == 0 )) && echo "fuzz: no server error, nothing logged at error level, no fødselsnummer in the log"
exit "$failed"
