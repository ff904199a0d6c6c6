"""Validates FHIR resources Varde answered with against FHIR R4 (4.0.1).

Usage: validate_fhir.py SAMPLES.json

SAMPLES.json is a list of {"label": ..., "body": "<the response body>"}; each
body is parsed with the fhir.resources R4 models (fhir.resources 6.4, see
deploy/python-requirements.txt): unknown elements, missing required elements,
wrong types, malformed dates, ids and codes, choice types given twice, and the
resources inside Bundle entries are all refused. On top, the R4 value sets
that the models do not enforce for the elements Varde writes are checked.
Exits 1 and names each sample that fails; prints how many were checked.
"""

import json
import sys

import fhir.resources
from fhir.resources import construct_fhir_element

assert fhir.resources.__fhir_version__ == "4.0.1", fhir.resources.__fhir_version__

# Required bindings (R4) of elements Varde fills, which the models accept as any code.
REQUIRED = {
    ("Observation", "status"): {"registered", "preliminary", "final", "amended", "corrected", "cancelled",
                                "entered-in-error", "unknown"},
    ("Bundle", "type"): {"document", "message", "transaction", "transaction-response", "batch", "batch-response",
                         "history", "searchset", "collection"},
    ("OperationOutcome.issue", "severity"): {"fatal", "error", "warning", "information"},
    ("OperationOutcome.issue", "code"): {
        "invalid", "structure", "required", "value", "invariant", "security", "login", "unknown", "expired",
        "forbidden", "suppressed", "processing", "not-supported", "duplicate", "multiple-matches", "not-found",
        "deleted", "too-long", "code-invalid", "extension", "too-costly", "business-rule", "conflict", "transient",
        "lock-error", "no-store", "exception", "timeout", "incomplete", "throttled", "informational"},
    ("Device", "status"): {"active", "inactive", "entered-in-error", "unknown"},
    ("CapabilityStatement", "kind"): {"instance", "capability", "requirements"},
    ("CapabilityStatement.rest.resource.interaction", "code"): {
        "read", "vread", "update", "patch", "delete", "history-instance", "history-type", "create", "search-type"},
    ("CapabilityStatement.rest.interaction", "code"): {"transaction", "batch", "search-system", "history-system"},
    ("Bundle.entry.search", "mode"): {"match", "include", "outcome"},
}


def codes(resource, errors, where):
    """Checks REQUIRED on `resource` and the resources inside it."""
    kind = resource.get("resourceType")

    def check(path, obj, key):
        allowed = REQUIRED.get((path, key))
        if allowed is not None and key in obj and obj[key] not in allowed:
            errors.append(f"{where}: {path}.{key} = {obj[key]!r} is not in the R4 value set")

    for key in list(resource):
        check(kind, resource, key)
    for issue in resource.get("issue", []) if kind == "OperationOutcome" else []:
        for key in issue:
            check("OperationOutcome.issue", issue, key)
    if kind == "Bundle":
        for i, entry in enumerate(resource.get("entry", [])):
            if "search" in entry:
                check("Bundle.entry.search", entry["search"], "mode")
            for part in ("resource",):
                if part in entry:
                    codes(entry[part], errors, f"{where} entry[{i}]")
            if "outcome" in entry.get("response", {}):
                codes(entry["response"]["outcome"], errors, f"{where} entry[{i}].response")
    if kind == "CapabilityStatement":
        for rest in resource.get("rest", []):
            for interaction in rest.get("interaction", []):
                check("CapabilityStatement.rest.interaction", interaction, "code")
            for r in rest.get("resource", []):
                for interaction in r.get("interaction", []):
                    check("CapabilityStatement.rest.resource.interaction", interaction, "code")


def main(path):
    with open(path, encoding="utf-8") as f:
        samples = json.load(f)
    errors = []
    seen = set()
    for sample in samples:
        label = sample["label"]
        try:
            body = json.loads(sample["body"])
        except ValueError as e:
            errors.append(f"{label}: not JSON: {e}")
            continue
        kind = body.get("resourceType")
        seen.add(kind if kind != "Bundle" else f"Bundle/{body.get('type')}")
        try:
            construct_fhir_element(kind, body)
        except Exception as e:  # pydantic's ValidationError, LookupError for an unknown type
            errors.append(f"{label}: {kind} does not validate against FHIR R4:\n{e}")
            continue
        codes(body, errors, label)
    print(f"checked {len(samples)} FHIR resources: {', '.join(sorted(seen))}")
    for e in errors:
        print("FAIL " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
