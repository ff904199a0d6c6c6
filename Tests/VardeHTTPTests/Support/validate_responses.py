"""Checks recorded responses against the OpenAPI document.

Usage: validate_responses.py openapi.yaml samples.json

Run by OpenAPITests.responsesConform with the Python of openapi-spec-validator's
venv (deploy/python-tools.sh), which has PyYAML, jsonschema and referencing.
samples.json is a list of {method, path, status, contentType, body}. For each
response: the status is documented (or `default`), the media type is documented
for it, and a JSON body matches its schema, with no members the schema leaves
out. Prints one FAIL line per mismatch and exits 1 if there is any.
"""
import copy, json, re, sys
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

doc = yaml.safe_load(open(sys.argv[1]))
samples = json.load(open(sys.argv[2]))
# Responses may not carry members the document does not describe: every object
# schema with `properties` (and no `additionalProperties` of its own) is closed
# for this check. Schemas extended through `allOf` are closed where extended.
bases = set()

def find_bases(node):
    if isinstance(node, dict):
        for part in node.get("allOf", []):
            if "$ref" in part:
                bases.add(part["$ref"])
        for value in node.values():
            find_bases(value)
    elif isinstance(node, list):
        for value in node:
            find_bases(value)

def close(node, this=True):
    if isinstance(node, dict):
        if this and ("properties" in node or "allOf" in node) and "additionalProperties" not in node:
            node["unevaluatedProperties"] = False
        for key, value in node.items():
            if key == "allOf":
                for part in value:
                    close(part, this=False)
            else:
                close(value)
    elif isinstance(node, list):
        for value in node:
            close(value)

find_bases(doc)
strict = copy.deepcopy(doc)
for name, schema in strict["components"]["schemas"].items():
    close(schema, this="#/components/schemas/" + name not in bases)
for item in strict["paths"].values():
    close(item)
registry = Registry().with_resource("urn:varde", Resource.from_contents(strict, default_specification=DRAFT202012))

def pointer(*parts):
    return "urn:varde#/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)

def follow(obj, where):
    while isinstance(obj, dict) and "$ref" in obj:
        where = obj["$ref"][2:].split("/")
        obj = doc
        for p in where:
            obj = obj[p.replace("~1", "/").replace("~0", "~")]
    return obj, where

templates = []
for path in doc["paths"]:
    regex = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"
    templates.append((path.count("{"), path, re.compile(regex)))
templates.sort()

failures, checked = [], set()
for s in samples:
    label = "%s %s -> %s" % (s["method"], s["path"], s["status"])
    route = s["path"].split("?")[0]
    path = next((p for _, p, r in templates if r.match(route)), None)
    operation = doc["paths"].get(path, {}).get(s["method"].lower()) if path else None
    if operation is None:
        failures.append(label + ": no such operation documented"); continue
    checked.add(operation["operationId"])
    responses = operation["responses"]
    key = str(s["status"]) if str(s["status"]) in responses else "default"
    if key not in responses:
        failures.append(label + ": status not documented"); continue
    response, where = follow(responses[key], ["paths", path, s["method"].lower(), "responses", key])
    content = response.get("content")
    media = (s.get("contentType") or "").split(";")[0].strip()
    if not content:
        if s["body"]:
            failures.append(label + ": documented without a body, got " + s["body"][:200])
        continue
    if media not in content:
        failures.append(label + ": content type %r not documented (%s)" % (media, ", ".join(content))); continue
    if not media.endswith("json"):
        continue
    try:
        body = json.loads(s["body"])
    except ValueError:
        failures.append(label + ": body is not JSON"); continue
    schema = {"$ref": pointer(*where, "content", media, "schema")}
    for error in sorted(Draft202012Validator(schema, registry=registry).iter_errors(body), key=str)[:3]:
        failures.append("%s: %s at %s" % (label, error.message[:300], "/".join(map(str, error.absolute_path))))

print("checked %d responses of %d operations" % (len(samples), len(checked)))
print("not exercised:", ", ".join(sorted(op["operationId"] for item in doc["paths"].values() for op in item.values() if op["operationId"] not in checked)) or "none")
for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
