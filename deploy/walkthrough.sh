#!/usr/bin/env bash
# Runs the README's curl walk-through, exactly as written there, against a
# real server and a fresh database, and checks what it left behind: the
# front door must keep working. `deploy/test.sh` calls it with the test
# cluster's PG* variables set; by hand:
#
#   source .varde/pg-test.env && deploy/walkthrough.sh [path/to/varde]
#
# The server listens on a free loopback port (the README's localhost:8080 is
# rewritten to it) and uses a database of its own, dropped at the end.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
V=$(realpath "${1:-.build/debug/varde}")
export V
command -v jq >/dev/null || { echo "walkthrough: needs jq" >&2; exit 1; }

export VARDE_SQL_DIR="$repo/sql"
source deploy/lib/scratch-server.sh
scratch_server "$V"

# The README's block: from the fence after "## A walk-through with curl" to its end.
script=$(awk '/^## A walk-through with curl/ { found = 1 } found && /^```sh$/ { inside = 1; next }
              inside && /^```$/ { exit } inside' README.md | sed "s/localhost:8080/localhost:$port/g")
[[ -n $script ]] || { echo "walkthrough: no walk-through block found in README.md" >&2; exit 1; }

cd "$work"
set +e
( set -euo pipefail; eval "$script"
  declare -p KOMMUNE SYKEHUS PATIENT ALERT ACKED NURSE AUDITOR GATEWAY_KEY NOW > vars.sh ) > out.log 2>&1
status=$?
set -e
if (( status != 0 )); then
    echo "walkthrough: the README's block failed (exit $status); its output:" >&2
    cat out.log >&2
    exit 1
fi
source vars.sh

passed=0 failed=0
check() {  # check "what" command...
    local what=$1; shift
    if "$@" > /dev/null 2>&1; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "walkthrough: FAILED: $what" >&2; fi
}
get() { curl -sf "localhost:$port$1" -H "Authorization: Bearer $2"; }
uuid='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'

check "both readings were created" test "$(grep -o '"status":"created"' out.log | wc -l)" -eq 2
check "the nurse's feed raised an alert" grep -Eq "$uuid" <<< "$ALERT"
check "the alert is a red spo2.low" \
    test "$(get "/v1/teams/$KOMMUNE/alerts" "$NURSE" | jq -r --arg a "$ALERT" '[.alerts[] | select(.id == $a)] | last | "\(.rule) \(.severity)"')" = "spo2.low red"
check "the acknowledgement is in the feed" \
    test "$(get "/v1/teams/$KOMMUNE/alerts" "$NURSE" | jq -r '.alerts | last | "\(.change) \(.state)"')" = "acknowledged acknowledged"
check "the alert also reached the sykehus team's feed" \
    test "$(get "/v1/teams/$SYKEHUS/alerts" "$("$V" token issue --role nurse --team "$SYKEHUS" --subject sykepleier-2)" | jq '.alerts | length')" -ge 1
first=$(grep -o -m1 '{"results":\[[^]]*\]}' out.log)
again=$(curl -sf "localhost:$port/v1/readings" -H "Authorization: Bearer $GATEWAY_KEY" -H 'content-type: application/json' -d '{"readings":[
  {"id":"hub-0001","deviceSerial":"OX-1","measuredAt":"'$NOW'","kind":"spo2","unit":"%","value":84},
  {"id":"hub-0002","deviceSerial":"OX-1","measuredAt":"'$NOW'","kind":"pulse","unit":"/min","value":72}]}')
check "a retried batch answers duplicate with the same event ids" \
    test "$(jq -c '[.results[] | .eventId]' <<< "$again") $(jq -r '[.results[].status] | unique | join(",")' <<< "$again")" \
       = "$(jq -c '[.results[] | .eventId]' <<< "$first") duplicate"
check "today's view shows the alert acknowledged" \
    test "$(get "/v1/patients/$PATIENT" "$NURSE" | jq -r '.openAlerts[0].state')" = acknowledged
check "the view just before the acknowledgement shows it open" \
    test "$(get "/v1/audit/patients/$PATIENT/view?position=$((ACKED - 1))" "$AUDITOR" | jq -r '.openAlerts[0].state')" = open
check "the explanation names the reading, the threshold version and the acknowledgement" \
    test "$(get "/v1/audit/alerts/$ALERT/explanation" "$AUDITOR" |
        jq -r '"\(.reading.data.gatewayReadingId) \(.reading.data.value.value) v\(.thresholdVersion) \([.steps[].type] | join(","))"')" \
       = "hub-0001 84 v1 AlertAcknowledged"
check "the patient's verification passed" test "$(get "/v1/audit/verify?patient=$PATIENT" "$AUDITOR" | jq -r .passed)" = true
check "varde verify printed OK" grep -q '^OK: ' out.log
check "the export holds the patient's whole stream" \
    test "$(wc -l < history.ndjson)" -eq "$(get "/v1/audit/patients/$PATIENT/events" "$AUDITOR" | jq '.events | length')"
check "the export is in the access log, before the auditor's own reads of it" \
    test "$(get "/v1/audit/access?patient=$PATIENT&limit=1000" "$AUDITOR" | jq -r '[.entries[] | select(.action == "exportPatient") | .role] | join(",")')" = operator
check "a nurse may not read the audit trail" \
    test "$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/v1/audit/patients/$PATIENT/events" -H "Authorization: Bearer $NURSE")" = 403

echo "README walk-through: $passed checks passed, $failed failed"
(( failed == 0 ))
