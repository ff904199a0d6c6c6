#!/usr/bin/env bash
# A FHIR client nobody here wrote drives a real server: fhirclient (the SMART
# on FHIR Python client, from deploy/python-requirements.txt) reads the
# CapabilityStatement, posts an Observation and the HL7 PHD IG's example
# transaction Bundle as a gateway and searches as a nurse
# (Tests/Tools/fhir-client/fhir_client_test.py). `deploy/test.sh` calls it
# with the test cluster's PG* variables set; by hand:
#
#   source .varde/pg-test.env && deploy/fhir-client-test.sh [path/to/varde]
#
# The server listens on a free loopback port and uses a database of its own,
# dropped at the end (deploy/lib/scratch-server.sh).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
V=$(realpath "${1:-.build/debug/varde}")
python="${VARDE_DATA_DIR:-$repo/.varde}/venv/bin/python"
[[ -x $python ]] || { echo "fhir-client-test: no venv; run deploy/python-tools.sh" >&2; exit 1; }
command -v jq >/dev/null || { echo "fhir-client-test: needs jq" >&2; exit 1; }

export VARDE_SQL_DIR="$repo/sql"
source deploy/lib/scratch-server.sh
scratch_server "$V"

J='content-type: application/json'
ADMIN=$("$V" token issue --role admin --subject ops-1)
KOMMUNE=$(curl -sf "$url/v1/teams" -H "Authorization: Bearer $ADMIN" -H "$J" \
  -d '{"name":"Oppfølgingstjenesten","kind":"kommune","kommunenummer":"5001"}' | jq -r .id)
GATEWAY_KEY=$("$V" gateway create --name "PHD hub" --team "$KOMMUNE" | tail -1)
CLINICIAN=$("$V" token issue --role clinician --team "$KOMMUNE" --subject lege-1)
NURSE=$("$V" token issue --role nurse --team "$KOMMUNE" --subject sykepleier-1)
PATIENT=$(curl -sf "$url/v1/patients" -H "Authorization: Bearer $CLINICIAN" -H "$J" \
  -d "{\"nationalId\":\"31129956715\",\"kommunenummer\":\"5001\",\"program\":\"kols\",\"teams\":{\"kommune\":\"$KOMMUNE\"}}" | jq -r .id)
# What the IG's example Bundle names the patient and its devices by.
curl -sf -X PUT "$url/v1/patients/$PATIENT/identifiers" -H "Authorization: Bearer $CLINICIAN" -H "$J" \
  -d '{"identifiers":[{"system":"urn:oid:2.999.1.2.3.4.5.6.7.8.10","value":"sisansarahId"}]}' > /dev/null
curl -sf "$url/v1/patients/$PATIENT/devices" -H "Authorization: Bearer $CLINICIAN" -H "$J" \
  -d '{"kind":"gateway","identifiers":[{"system":"urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680","value":"4C-4E-49-12-34-56-FF-FF"}]}' > /dev/null
curl -sf "$url/v1/patients/$PATIENT/devices" -H "Authorization: Bearer $CLINICIAN" -H "$J" \
  -d '{"kind":"pulseOximeter","identifiers":[{"system":"urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680","value":"00-1C-05-04-00-00-78-25"}]}' > /dev/null

echo "FHIR client (fhirclient) against $url:"
"$python" Tests/Tools/fhir-client/fhir_client_test.py "$url" "$GATEWAY_KEY" "$NURSE" "$PATIENT"
