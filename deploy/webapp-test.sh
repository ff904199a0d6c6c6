#!/usr/bin/env bash
# The web app in a real browser: Debian's chromium and chromium-driver,
# driven by Selenium with axe-core (deploy/python-requirements.txt), against
# a real `varde serve` on a scratch database (deploy/lib/scratch-server.sh)
# that signs people in through the local OpenID Connect provider
# (Tests/Tools/oidc-provider) with a client key made here. The steps are in
# Tests/Tools/webapp-browser/webapp_test.py; the screenshots it takes
# (worklist, feed, patient chart) land in docs/screenshots/. `deploy/test.sh`
# calls it with the test cluster's PG* variables set; by hand:
#
#   source .varde/pg-test.env && deploy/webapp-test.sh [path/to/varde]
#
# VARDE_WEBAPP_PYTHON names another Python with the requirements installed.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
V=$(realpath "${1:-.build/debug/varde}")
python="${VARDE_WEBAPP_PYTHON:-${VARDE_DATA_DIR:-$repo/.varde}/venv/bin/python}"
[[ -x $python ]] || { echo "webapp-test: no venv; run deploy/python-tools.sh" >&2; exit 1; }
"$python" -c 'import selenium, axe_selenium_python' 2>/dev/null \
  || { echo "webapp-test: $python lacks selenium or axe-selenium-python; run deploy/python-tools.sh" >&2; exit 1; }
[[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]] \
  || { echo "webapp-test: needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)" >&2; exit 1; }
if ! command -v jq >/dev/null || ! command -v openssl >/dev/null; then echo "webapp-test: needs jq and openssl" >&2; exit 1; fi
export VARDE_SQL_DIR="$repo/sql"

# The identity provider first: the server reads its discovery document at start.
side=$(mktemp -d)
"$python" Tests/Tools/oidc-provider/oidc_provider.py --port 0 --quiet > "$side/provider.out" 2> "$side/provider.log" &
provider_pid=$!
stop_provider() { kill "$provider_pid" 2>/dev/null && wait "$provider_pid" 2>/dev/null; rm -rf "$side"; }
trap stop_provider EXIT
for _ in $(seq 100); do grep -q '^READY ' "$side/provider.out" 2>/dev/null && break; sleep 0.1; done
issuer=$(sed -n 's/^READY //p' "$side/provider.out")
[[ -n $issuer ]] || { echo "webapp-test: the OIDC test provider did not start" >&2; cat "$side/provider.log" >&2; exit 1; }

# The web app's client at the provider: a P-256 key of its own (as an
# operator makes one), registered by its public JWKS.
scratch_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
app="http://localhost:$scratch_port"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$side/client.pem" 2>/dev/null
J='content-type: application/json'
jq -n --argjson jwks "$("$V" client-key --key "$side/client.pem")" --arg app "$app" \
  '{client_id: "varde-web", jwks: $jwks, redirect_uris: [$app + "/app/callback"], post_logout_redirect_uris: [$app + "/app/signed-out"]}' \
  | curl -sf "$issuer/admin/clients" -H "$J" -d @- > /dev/null

export VARDE_OIDC_ISSUER=$issuer VARDE_JWT_AUDIENCE=varde-api VARDE_PUBLIC_URL=$app \
  VARDE_OIDC_CLIENT_ID=varde-web VARDE_OIDC_CLIENT_KEY="$side/client.pem"
export scratch_dev_auth=no
# shellcheck source-path=SCRIPTDIR/..
source deploy/lib/scratch-server.sh
# scratch_server's EXIT trap (set inside it) stops the provider too.
eval "server_$(declare -f scratch_cleanup)"
scratch_cleanup() { server_scratch_cleanup; stop_provider; }
scratch_server "$V"

# Seeded through the API with the provider's tokens: a kommune team and a
# sykehus team, a gateway, one kols patient of both with an oximeter, and the
# kommune nurse and clinician who sign in.
token() { curl -sf "$issuer/admin/token" -H "$J" -d "$1" | jq -r .token; }
ADMIN=$(token '{"claims": {"sub": "ops-1", "varde_role": "admin"}}')
TEAM=$(curl -sf "$url/v1/teams" -H "Authorization: Bearer $ADMIN" -H "$J" \
  -d '{"name":"Oppfølgingstjenesten Trondheim","kind":"kommune","kommunenummer":"5001"}' | jq -r .id)
SYKEHUS=$(curl -sf "$url/v1/teams" -H "Authorization: Bearer $ADMIN" -H "$J" \
  -d '{"name":"Lungepoliklinikken","kind":"sykehus","healthTrust":"St. Olavs hospital HF"}' | jq -r .id)
CLINICIAN=$(token "{\"claims\": {\"sub\": \"lege-1\", \"varde_role\": \"clinician\", \"varde_teams\": [\"$TEAM\"]}}")
GATEWAY_KEY=$(curl -sf "$url/v1/gateways" -H "Authorization: Bearer $ADMIN" -H "$J" \
  -d "{\"name\":\"Hub\",\"teams\":[\"$TEAM\"]}" | jq -r .apiKey)
PATIENT=$(curl -sf "$url/v1/patients" -H "Authorization: Bearer $CLINICIAN" -H "$J" \
  -d "{\"nationalId\":\"31129956715\",\"kommunenummer\":\"5001\",\"program\":\"kols\",\"teams\":{\"kommune\":\"$TEAM\",\"sykehus\":\"$SYKEHUS\"}}" | jq -r .id)
curl -sf "$url/v1/patients/$PATIENT/devices" -H "Authorization: Bearer $CLINICIAN" -H "$J" \
  -d '{"serial":"OX-1","kind":"pulseOximeter"}' > /dev/null
# Two more patients of the team, for a worklist worst first: one red, one yellow.
for n in 2:29100207042 3:43022014103; do
  other=$(curl -sf "$url/v1/patients" -H "Authorization: Bearer $CLINICIAN" -H "$J" \
    -d "{\"nationalId\":\"${n#*:}\",\"kommunenummer\":\"5001\",\"program\":\"kols\",\"teams\":{\"kommune\":\"$TEAM\",\"sykehus\":\"$SYKEHUS\"}}" | jq -r .id)
  curl -sf "$url/v1/patients/$other/devices" -H "Authorization: Bearer $CLINICIAN" -H "$J" \
    -d "{\"serial\":\"OX-${n%%:*}\",\"kind\":\"pulseOximeter\"}" > /dev/null
done
# Readings measured after the bindings, so now: the patient in range (green),
# the second's SpO2 yellow, the third's red.
sleep 1  # measured after the binding, to the second
at=$(date -u +%Y-%m-%dT%H:%M:%SZ)
readings="{\"readings\":[{\"id\":\"seed-p\",\"deviceSerial\":\"OX-1\",\"measuredAt\":\"$at\",\"kind\":\"pulse\",\"unit\":\"/min\",\"value\":78},
  {\"id\":\"seed-s\",\"deviceSerial\":\"OX-1\",\"measuredAt\":\"$at\",\"kind\":\"spo2\",\"unit\":\"%\",\"value\":95},
  {\"id\":\"seed-2s\",\"deviceSerial\":\"OX-2\",\"measuredAt\":\"$at\",\"kind\":\"spo2\",\"unit\":\"%\",\"value\":87},
  {\"id\":\"seed-2p\",\"deviceSerial\":\"OX-2\",\"measuredAt\":\"$at\",\"kind\":\"pulse\",\"unit\":\"/min\",\"value\":84},
  {\"id\":\"seed-3s\",\"deviceSerial\":\"OX-3\",\"measuredAt\":\"$at\",\"kind\":\"spo2\",\"unit\":\"%\",\"value\":83},
  {\"id\":\"seed-3p\",\"deviceSerial\":\"OX-3\",\"measuredAt\":\"$at\",\"kind\":\"pulse\",\"unit\":\"/min\",\"value\":96}]}"
curl -sf "$url/v1/readings" -H "Authorization: Bearer $GATEWAY_KEY" -H "$J" -d "$readings" > /dev/null
curl -sf "$issuer/admin/users" -H "$J" \
  -d "{\"sub\":\"nurse-ola\",\"name\":\"Ola Nordmann\",\"claims\":{\"varde_role\":\"nurse\",\"varde_teams\":[\"$TEAM\"]}}" > /dev/null
curl -sf "$issuer/admin/users" -H "$J" \
  -d "{\"sub\":\"lege-kari\",\"name\":\"Kari Lege\",\"claims\":{\"varde_role\":\"clinician\",\"varde_teams\":[\"$TEAM\"]}}" > /dev/null

mkdir -p docs/screenshots
echo "web app in chromium ($(/usr/bin/chromium --version 2>/dev/null)) against $url:"
failed() {
  echo "--- server log ($1)" >&2; tail -40 "$1" >&2
  [[ -f $side/failure.png ]] && cp "$side/failure.png" "${TMPDIR:-/tmp}/webapp-test-failure.png" \
    && echo "(screenshot: ${TMPDIR:-/tmp}/webapp-test-failure.png)" >&2
  exit 1
}
timeout 150 "$python" Tests/Tools/webapp-browser/webapp_test.py "$url" "$issuer" "$GATEWAY_KEY" "$TEAM" "$PATIENT" \
  docs/screenshots "$side" || failed "$work/server.log"

# The development sign-in, from a second instance on the same database
# started with --dev-auth and no identity provider.
as_runtime=()
if psql -tAXc "SELECT 1 FROM pg_roles WHERE rolname = 'varde_runtime'" | grep -q 1; then as_runtime=(PGUSER=varde_runtime); fi
dev_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env -u VARDE_OIDC_ISSUER -u VARDE_JWT_AUDIENCE -u VARDE_PUBLIC_URL -u VARDE_OIDC_CLIENT_ID -u VARDE_OIDC_CLIENT_KEY \
  "${as_runtime[@]}" "$V" serve --dev-auth --port "$dev_port" > "$side/dev-server.log" 2>&1 &
dev_pid=$!
eval "provider_$(declare -f stop_provider)"
stop_provider() { kill "$dev_pid" 2>/dev/null && wait "$dev_pid" 2>/dev/null; provider_stop_provider; }
for _ in $(seq 100); do curl -sf "http://localhost:$dev_port/readyz" > /dev/null && break; sleep 0.1; done
timeout 60 "$python" Tests/Tools/webapp-browser/webapp_test.py --development "http://localhost:$dev_port" "$side" \
  || failed "$side/dev-server.log"
