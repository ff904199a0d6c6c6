"""A FHIR client nobody here wrote drives Varde: fhirclient (the SMART on FHIR
Python client, R4 models that refuse what R4 does not allow) reads the
CapabilityStatement, posts an Observation and the HL7 PHD IG's example
transaction Bundle as a gateway, reads back what the Bundle response points
at, and searches as a nurse, following the `next` links.

deploy/fhir-client-test.sh seeds a scratch server and runs this:

    fhir_client_test.py BASE_URL GATEWAY_KEY NURSE_TOKEN PATIENT_ID

Prints each check and ends with "N passed, M failed"; exits 1 on a failure.
"""

import datetime
import json
import pathlib
import sys
import uuid

from fhirclient import client
from fhirclient.models import bundle, device, observation, patient

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "Fixtures" / "phd"
passed, failed = 0, 0


def check(what, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAILED: {what} {detail}")


def connect(base, token):
    smart = client.FHIRClient(settings={"app_id": "varde-fhir-client-test", "api_base": base + "/fhir"})
    smart.server.session.headers["Authorization"] = "Bearer " + token
    return smart


def shifted(value, delta):
    """The IG example with every dateTime moved by `delta` (its offset and precision kept)."""
    if isinstance(value, dict):
        return {k: shifted(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [shifted(v, delta) for v in value]
    if isinstance(value, str) and len(value) > 19 and value[10:11] == "T":
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
        return (moment + delta).isoformat(timespec="milliseconds")
    return value


def main(base, gateway_key, nurse_token, patient_id):
    gateway = connect(base, gateway_key)
    gateway.prepare()  # reads /fhir/metadata and parses it as an R4 CapabilityStatement
    statement = gateway.server.capabilityStatement
    check("the CapabilityStatement is R4", statement.fhirVersion == "4.0.1", statement.fhirVersion)
    types = {r.type: {i.code for i in r.interaction} for r in statement.rest[0].resource}
    check("it lists Observation create, read and search", types.get("Observation") == {"create", "read", "search-type"}, types)
    check("and transactions", "transaction" in {i.code for i in statement.rest[0].interaction or []})

    now = datetime.datetime.now(datetime.timezone.utc)
    spo2 = observation.Observation({
        "resourceType": "Observation", "status": "final",
        "identifier": [{"system": "urn:fhirclient:test", "value": str(uuid.uuid4())}],
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "59408-5"}]},
        "subject": {"reference": f"Patient/{patient_id}"},
        "effectiveDateTime": (now + datetime.timedelta(seconds=1)).isoformat(timespec="seconds"),
        "valueQuantity": {"value": 95, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"},
    })
    created = observation.Observation(spo2.create(gateway.server))
    check("a posted Observation comes back as an R4 Observation", created.valueQuantity.value == 95 and created.id)

    example = json.loads((FIXTURES / "bundle-example-1.json").read_text())
    start = datetime.datetime.fromisoformat("2019-09-20T12:40:07.936-04:00")
    example = shifted(example, now + datetime.timedelta(seconds=2) - start)
    posted = bundle.Bundle(example)  # the IG's example, read by the client's R4 models

    def transact(b):
        # The example keeps its Bundle.id, so `create` refuses it; the client's own
        # transaction path (a transaction posts to the base) does the same post.
        return bundle.Bundle(gateway.server.post_json(b.createPath(), b.as_json()).json())

    answer = transact(posted)
    statuses = [e.response.status for e in answer.entry]
    check("the PHD transaction answers a transaction-response", answer.type == "transaction-response", answer.type)
    check("one entry per request entry", statuses == ["200 OK"] * 4 + ["201 Created"] * 2, statuses)
    locations = [e.response.location for e in answer.entry]
    check("the Patient entry points at the enrolled patient", locations[0] == f"Patient/{patient_id}", locations[0])
    again = transact(bundle.Bundle(example))
    check("a resend answers the same locations", [e.response.location for e in again.entry] == locations)

    read = patient.Patient.read(patient_id, gateway.server)
    systems = {i.system for i in read.identifier or []}
    check("the gateway's Patient read holds no fødselsnummer", "urn:oid:2.16.578.1.12.4.1.4.1" not in systems, systems)
    oximeter = device.Device.read(locations[2].split("/", 1)[1], gateway.server)
    check("the Device read shows what the gateway reported", oximeter.manufacturer == "Nonin Medical, Inc.", oximeter.manufacturer)

    nurse = connect(base, nurse_token)
    search = observation.Observation.where(struct={"patient": f"Patient/{patient_id}", "_count": "1"})
    pages = list(search.perform_iter(nurse.server))
    found = [e.resource for page in pages for e in page.entry or []]
    check("the nurse's search pages through every reading", len(found) == 3 and len(pages) == 3, f"{len(found)} in {len(pages)} pages")
    check("with total on each page", all(p.total == 3 for p in pages))
    codes = sorted(c.code for o in found for c in o.code.coding if c.system == "http://loinc.org")
    check("as LOINC-coded Observations", "8867-4" in codes and "59408-5" in codes, codes)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:5]))
