import Foundation
import Hummingbird
import Testing
import VardeHTTP

/// Keeps `/openapi.yaml` true: it is valid OpenAPI 3.1 (openapi-spec-validator,
/// which must be installed: deploy/python-tools.sh), it is what the server
/// serves, its paths are exactly the routes the server registers, each with
/// its operation's id and roles, and real responses match what it documents.
@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("the document is valid OpenAPI 3.1 according to openapi-spec-validator")
    func validates() throws {
        #expect(OpenAPIDocument.yaml.hasPrefix("openapi: 3.1."))
        let validator = try #require(
            Self.validator(),
            "openapi-spec-validator is neither on PATH nor in .varde/venv/bin: run deploy/python-tools.sh")
        let file = FileManager.default.temporaryDirectory.appending(path: "varde-openapi-\(UUID().uuidString).yaml")
        try OpenAPIDocument.yaml.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try Self.run(validator, [file.path])
        #expect(status == 0, "openapi-spec-validator failed:\n\(output.prefix(4000))")
        // YAML loaders (the validator's too) silently keep the last of two equal keys.
        #expect(YAMLKeys.duplicates(OpenAPIDocument.yaml).isEmpty, "keys given twice: \(YAMLKeys.duplicates(OpenAPIDocument.yaml))")
    }

    @Test("every registered route is documented with its operationId and roles, and nothing else is")
    func coversEveryRoute() throws {
        let document = DocumentedPaths(yaml: OpenAPIDocument.yaml)
        #expect(document.problems.isEmpty, "\(document.problems)")
        let routes = registeredRoutes()
        #expect(!routes.isEmpty)
        for route in routes {
            let key = Self.key(route.method, route.path)
            guard let documented = document.operations[key] else {
                Issue.record("\(key) (\(route.operation.rawValue)) is registered but not in /openapi.yaml")
                continue
            }
            #expect(documented.operationId == route.operation.rawValue, "\(key): operationId")
            #expect(documented.roles == Set(route.operation.roles.map(\.rawValue)), "\(key): x-varde-roles")
            #expect(!documented.open, "\(key) needs credentials but is documented with `security: []`")
        }
        // The rest are the open routes outside the role table (health, readiness,
        // this document): `served()` checks that each answers without credentials.
        let registered = Set(routes.map { Self.key($0.method, $0.path) })
        for (key, documented) in document.operations where !registered.contains(key) {
            #expect(documented.open && documented.method == "GET" && documented.roles == [],
                    "\(key) is in /openapi.yaml but the server does not register it")
        }
        for path in ["/healthz", "/readyz", "/openapi.yaml"] {
            #expect(document.operations["GET \(path)"]?.open == true, "GET \(path) is served without credentials but not documented so")
        }
        let ids = document.operations.values.compactMap(\.operationId)
        #expect(Set(ids).count == ids.count, "operationIds must be unique")
        #expect(ids.count == document.operations.count, "every operation needs an operationId")
    }

    @Test("GET /openapi.yaml serves the document without credentials, and the open paths exist")
    func served() async throws {
        let openPaths = DocumentedPaths(yaml: OpenAPIDocument.yaml).operations.values.filter(\.open).map(\.path)
        try await TestApp.run { client in
            let reply = try await client.request(.get, "/openapi.yaml")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "application/yaml")
            #expect(reply.text == OpenAPIDocument.yaml)
            for path in openPaths {
                let status = try await client.request(.get, path).status
                #expect(status != .notFound && status != .unauthorized, "GET \(path): \(status)")
            }
        }
    }

    @Test("responses of a walk through every kind of route match their documented status, media type and schema")
    func responsesConform() async throws {
        let validator = try #require(Self.validator(), "openapi-spec-validator not found: run deploy/python-tools.sh")
        let (python, pythonArguments) = try #require(Self.interpreter(of: validator), "no Python interpreter for \(validator.path)")
        let samples = Samples()
        try await TestApp.run { client in try await ResponseWalk(client: client, samples: samples).run() }
        let folder = FileManager.default.temporaryDirectory.appending(path: "varde-openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try OpenAPIDocument.yaml.write(to: folder.appending(path: "openapi.yaml"), atomically: true, encoding: .utf8)
        try JSONSerialization.data(withJSONObject: await samples.all.map(\.json)).write(to: folder.appending(path: "samples.json"))
        try ResponseWalk.checker.write(to: folder.appending(path: "check.py"), atomically: true, encoding: .utf8)
        let files = ["check.py", "openapi.yaml", "samples.json"].map { folder.appending(path: $0).path }
        let (status, output) = try Self.run(python, pythonArguments + files)
        #expect(status == 0, "responses that do not match /openapi.yaml:\n\(output.prefix(6000))")
    }

    /// `METHOD /path` with path parameters in OpenAPI's `{name}` form.
    static func key(_ method: String, _ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }
        var normalized = segments.joined(separator: "/")
        if normalized.count > 1, normalized.hasSuffix("/") { normalized.removeLast() }
        return "\(method.uppercased()) \(normalized)"
    }

    /// On PATH, else in the project's venv (see deploy/python-tools.sh).
    static func validator() -> URL? {
        let name = "openapi-spec-validator"
        let environment = ProcessInfo.processInfo.environment
        var folders = (environment["PATH"] ?? "").split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        if let data = environment["VARDE_DATA_DIR"] { folders.append(URL(fileURLWithPath: data).appending(path: "venv/bin")) }
        folders.append(repo.appending(path: ".varde/venv/bin"))
        return folders.map { $0.appending(path: name) }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The Python the validator runs with (its `#!` line), which has jsonschema.
    static func interpreter(of script: URL) -> (URL, [String])? {
        guard let handle = try? FileHandle(forReadingFrom: script), let head = try? handle.read(upToCount: 512) else { return nil }
        defer { try? handle.close() }
        let line = String(decoding: head, as: UTF8.self).split(separator: "\n").first ?? ""
        guard line.hasPrefix("#!") else { return nil }
        let words = line.dropFirst(2).split(separator: " ").map(String.init)
        guard let program = words.first else { return nil }
        return (URL(fileURLWithPath: program), Array(words.dropFirst()))
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

/// The operations under `paths:`, read from the YAML by indentation (the
/// document is block style: paths at two spaces, methods at four, their keys
/// at six). Enough for the coverage check, without a YAML package.
struct DocumentedPaths {
    struct Operation {
        var method: String
        var path: String
        var operationId: String?
        var roles: Set<String>?
        /// `security: []`: no credentials.
        var open = false
    }

    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
    private(set) var operations: [String: Operation] = [:]
    private(set) var problems: [String] = []

    init(yaml: String) {
        var inPaths = false
        var path: String?
        var current: String?
        for raw in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty || text.hasPrefix("#") { continue }
            let indent = line.prefix { $0 == " " }.count
            if indent == 0 {
                inPaths = text == "paths:"
                path = nil
                current = nil
                continue
            }
            guard inPaths else { continue }
            if indent == 2 {
                current = nil
                guard text.hasSuffix(":") else { problems.append("unexpected line under paths: \(text)"); continue }
                let key = Self.unquote(String(text.dropLast()))
                guard key.hasPrefix("/") else { problems.append("not a path: \(key)"); path = nil; continue }
                path = key
            } else if indent == 4, let path, text.hasSuffix(":"), Self.methods.contains(String(text.dropLast())) {
                let method = text.dropLast().uppercased()
                let key = "\(method) \(path)"
                if operations[key] != nil { problems.append("\(key) appears twice") }
                operations[key] = Operation(method: method, path: path)
                current = key
            } else if indent == 4 {
                current = nil
            } else if indent == 6, let key = current {
                let (name, value) = Self.keyValue(text)
                switch name {
                case "operationId": operations[key]?.operationId = Self.unquote(value)
                case "x-varde-roles": operations[key]?.roles = Self.flowList(value)
                case "security": operations[key]?.open = value == "[]"
                default: break
                }
            }
        }
        if operations.isEmpty { problems.append("no operations found under paths:") }
    }

    static func keyValue(_ text: String) -> (String, String) {
        guard let colon = text.firstIndex(of: ":") else { return (text, "") }
        return (String(text[..<colon]), text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces))
    }

    static func unquote(_ text: String) -> String {
        guard text.count >= 2, let first = text.first, first == text.last, first == "'" || first == "\"" else { return text }
        return String(text.dropFirst().dropLast())
    }

    /// `[a, b]` → {a, b}.
    static func flowList(_ text: String) -> Set<String> {
        let inner = text.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        return Set(inner.split(separator: ",").map { unquote($0.trimmingCharacters(in: .whitespaces)) }.filter { !$0.isEmpty })
    }
}

enum YAMLKeys {
    /// Keys that appear twice in one block mapping (YAML loaders silently keep
    /// the last one). Block style with `|`/`>` scalars, as the document is written.
    static func duplicates(_ yaml: String) -> [String] {
        var frames: [(indent: Int, keys: Set<String>)] = []
        var blockScalar: Int?
        var found: [String] = []
        for (number, raw) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            var text = Substring(line.trimmingCharacters(in: .whitespaces))
            if text.isEmpty { continue }
            var indent = line.prefix { $0 == " " }.count
            if let scalar = blockScalar {
                if indent > scalar { continue }
                blockScalar = nil
            }
            if text.hasPrefix("#") { continue }
            var item = false
            while text.hasPrefix("- ") {
                text = text.dropFirst(2).drop { $0 == " " }
                indent = line.count - text.count
                item = true
            }
            guard let (key, value) = keyValue(text) else { continue }
            while let last = frames.last, last.indent > indent || (item && last.indent == indent) { frames.removeLast() }
            if let last = frames.indices.last, frames[last].indent == indent {
                if !frames[last].keys.insert(key).inserted { found.append("line \(number + 1): \(key)") }
            } else {
                frames.append((indent, [key]))
            }
            if ["|", "|-", "|+", ">", ">-", ">+"].contains(value) { blockScalar = indent }
        }
        return found
    }

    /// `key: value` or `key:` with a plain or quoted key.
    static func keyValue(_ text: Substring) -> (String, String)? {
        var key: Substring
        var rest: Substring
        if let quote = text.first, quote == "'" || quote == "\"" {
            guard let close = text.dropFirst().firstIndex(of: quote) else { return nil }
            key = text[text.index(after: text.startIndex)..<close]
            rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
        } else {
            guard let first = text.first, !"{[&*!|>%@`".contains(first) else { return nil }
            guard let colon = text.range(of: ": ")?.lowerBound ?? (text.hasSuffix(":") ? text.index(before: text.endIndex) : nil) else { return nil }
            key = text[..<colon]
            rest = text[colon...]
        }
        return (String(key), rest.dropFirst().trimmingCharacters(in: .whitespaces))
    }
}

/// A response as the server sent it, for the conformance check.
struct Sample: Sendable {
    var method: String
    var path: String
    var status: Int
    var contentType: String?
    var body: String

    var json: [String: Any] {
        ["method": method, "path": path, "status": status, "contentType": contentType ?? "", "body": body]
    }
}

actor Samples {
    private var samples: [Sample] = []
    func add(_ sample: Sample) { samples.append(sample) }
    var all: [Sample] { samples }
}

/// Calls every kind of route once or more, successes and the error classes,
/// and records each response; `checker` then validates them against the
/// document (media type per status, JSON schema per media type).
struct ResponseWalk {
    let client: Client
    let samples: Samples

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, _ token: String? = nil, json: Any? = nil, raw: String? = nil,
        contentType: String = "application/json"
    ) async throws -> Client.Reply {
        let reply = try await client.request(method, path, token: token, json: json, raw: raw, contentType: contentType)
        await samples.add(Sample(method: method.rawValue, path: path, status: reply.status.code,
                                 contentType: reply.headers[.contentType], body: reply.text))
        return reply
    }

    func run() async throws {
        let world = try await World.make(client)
        let (admin, clinician, nurse, auditor, gateway) = (world.admin, world.clinician, world.nurse, world.auditor, world.gatewayKey)
        let patient = world.patient.uuidString.lowercased()
        let fhir = "application/fhir+json"

        for path in ["/healthz", "/readyz", "/openapi.yaml"] { try await call(.get, path) }

        let team: [String: Any] = ["name": "Hjemmetjenesten", "kind": "kommune", "kommunenummer": "0301"]
        try await call(.post, "/v1/teams", admin, json: team)
        try await call(.post, "/v1/teams", admin, json: ["name": "Medisinsk poliklinikk", "kind": "sykehus", "healthTrust": "St. Olavs hospital HF"])
        try await call(.post, "/v1/teams", admin, json: ["name": "Fylket", "kind": "fylke"])
        try await call(.post, "/v1/teams", nurse, json: team)
        try await call(.post, "/v1/teams", json: team)
        try await call(.get, "/v1/teams/\(world.kommune)", nurse)
        try await call(.get, "/v1/teams/\(world.otherKommune)", nurse)
        try await call(.get, "/v1/teams/not-a-uuid", admin)
        try await call(.post, "/v1/teams", admin, raw: "{")
        try await call(.post, "/v1/teams", admin, raw: "name=x", contentType: "application/x-www-form-urlencoded")
        let hub = try await call(.post, "/v1/gateways", admin, json: ["name": "Hub 2"])
        let hubID = hub.object["gatewayId"] as? String ?? UUID().uuidString
        let key = try await call(.post, "/v1/gateways/\(hubID)/keys", admin)
        let keyID = key.object["keyId"] as? String ?? "none"
        try await call(.delete, "/v1/gateways/\(hubID)/keys/\(keyID)", admin)
        try await call(.delete, "/v1/gateways/\(hubID)/keys/\(keyID)", admin)
        try await call(.post, "/v1/gateways/\(UUID())/keys", admin)

        let enrolment: [String: Any] = [
            "nationalId": World.nationalIDs[1], "kommunenummer": "5001", "program": "hjertesvikt",
            "teams": ["kommune": world.kommune.uuidString, "sykehus": world.sykehus.uuidString],
        ]
        let second = try await call(.post, "/v1/patients", clinician, json: enrolment).object["id"] as? String ?? UUID().uuidString
        try await call(.post, "/v1/patients", clinician, json: enrolment)
        try await call(.post, "/v1/patients", clinician, json: ["nationalId": "12345678910", "kommunenummer": "5001", "program": "kols",
                                                              "teams": ["kommune": world.kommune.uuidString]])
        try await call(.post, "/v1/patients/search", nurse, json: ["nationalId": World.nationalIDs[0]])
        try await call(.get, "/v1/patients/\(patient)", world.otherNurse)
        try await call(.put, "/v1/patients/\(patient)/thresholds", clinician, json: ["reason": "individuelt", "thresholds": [
            "spo2Low": ["yellow": 90, "red": 85], "systolicHigh": ["yellow": 170, "red": 200],
            "weightGain": ["yellowKg": 2, "redKg": 3, "windowDays": 3],
            "expected": [["kind": "spo2", "intervalHours": 24, "graceHours": 12]],
        ]])
        try await call(.post, "/v1/patients/\(patient)/devices", clinician, json: ["serial": "BP-1", "kind": "bloodPressureMonitor"])
        try await call(.post, "/v1/patients/\(second)/devices", clinician, json: ["serial": "BP-1", "kind": "bloodPressureMonitor"])

        let batch: [String: Any] = ["readings": [
            ["id": "w-1", "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 84],
            ["id": "w-2", "patientId": patient, "deviceSerial": "BP-1", "measuredAt": World.time(2), "kind": "bloodPressure",
             "unit": "mm[Hg]", "systolic": 150, "diastolic": 90, "pulse": 70],
            ["id": "w-3", "deviceSerial": "OX-1", "measuredAt": World.time(3), "kind": "spo2", "unit": "%", "value": 140],
            ["id": "w-4", "deviceSerial": "NOPE-1", "measuredAt": World.time(3), "kind": "pulse", "unit": "/min", "value": 60],
            ["deviceSerial": "OX-1", "kind": "spo2"],
        ]]
        let posted = try await call(.post, "/v1/readings", gateway, json: batch)
        try await call(.post, "/v1/readings", gateway, json: batch)
        try await call(.post, "/v1/readings", gateway, json: ["readings": []])
        let results = posted.object["results"] as? [[String: Any]] ?? []
        let reading = results.count > 1 ? results[1]["eventId"] as? String ?? UUID().uuidString : UUID().uuidString
        try await call(.get, "/v1/patients/\(patient)/readings?kind=spo2", nurse)
        try await call(.get, "/v1/patients/\(patient)/readings?kind=weight2", nurse)

        let observation: [String: Any] = [
            "resourceType": "Observation", "status": "final", "identifier": [["system": "urn:test:hub", "value": "f-1"]],
            "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"]]]],
            "code": ["coding": [["system": "http://loinc.org", "code": "59408-5"]]],
            "subject": ["reference": "Patient/\(patient)"], "effectiveDateTime": World.time(4),
            "valueQuantity": ["value": 95, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"],
        ]
        let fhirPosted = try await call(.post, "/fhir/Observation", gateway, json: observation, contentType: fhir)
        try await call(.post, "/fhir/Observation", gateway, json: observation, contentType: fhir)
        try await call(.get, fhirPosted.headers[.location] ?? "/fhir/Observation/none", nurse)
        try await call(.get, "/fhir/Observation/\(UUID())", nurse)
        try await call(.get, "/fhir/Observation/\(UUID())")
        try await call(.get, "/fhir/Observation/\(UUID())", gateway)
        try await call(.post, "/fhir/Observation", nurse, json: observation, contentType: fhir)
        try await call(.post, "/fhir/Observation", gateway, json: ["resourceType": "Observation"], contentType: fhir)
        try await call(.post, "/fhir/Observation", nurse, json: observation, contentType: fhir)
        var other = observation
        other["identifier"] = [["system": "urn:test:hub", "value": "f-2"]]
        var broken = observation
        broken["identifier"] = [["system": "urn:test:hub", "value": "f-3"]]
        broken["valueQuantity"] = ["value": 95, "unit": "%", "system": "http://unitsofmeasure.org", "code": "furlong"]
        let entries = [other, broken].map { ["resource": $0, "request": ["method": "POST", "url": "Observation"]] }
        try await call(.post, "/fhir", gateway, json: ["resourceType": "Bundle", "type": "batch", "entry": entries], contentType: fhir)
        try await call(.post, "/fhir", gateway, json: ["resourceType": "Bundle", "type": "transaction", "entry": entries], contentType: fhir)
        try await call(.get, "/fhir/Observation?patient=Patient/\(patient)&code=59408-5&date=ge2000-01-01", nurse)
        try await call(.get, "/fhir/Observation?patient=Patient/\(patient)&_count=1&_sort=-date", nurse)
        try await call(.get, "/fhir/Observation?patient=Patient/\(patient)&_count=0", nurse)
        try await call(.get, "/fhir/Observation", nurse)
        try await call(.get, "/fhir/Observation?patient=\(UUID())", nurse)

        let feed = try await call(.get, "/v1/teams/\(world.kommune)/alerts?wait=5", nurse)
        let alerts = feed.object["alerts"] as? [[String: Any]] ?? []
        let alert = alerts.first?["id"] as? String ?? UUID().uuidString
        try await call(.get, "/v1/teams/\(world.kommune)/alerts?after=not-a-cursor", nurse)
        try await call(.get, "/v1/teams/\(world.otherKommune)/alerts", nurse)
        try await call(.get, "/v1/teams/\(world.kommune)/patients", nurse)
        try await call(.post, "/v1/alerts/\(alert)/acknowledge", nurse, json: ["note": "ringte pasienten"])
        try await call(.post, "/v1/alerts/\(alert)/acknowledge", nurse)
        try await call(.get, "/v1/patients/\(patient)", nurse)
        try await call(.post, "/v1/alerts/\(alert)/escalate", nurse)
        try await call(.post, "/v1/alerts/\(alert)/resolve", clinician, json: ["note": "innlagt"])
        try await call(.post, "/v1/alerts/\(UUID())/resolve", clinician)
        try await call(.get, "/v1/teams/\(world.sykehus)/alerts", world.sykehusNurse)
        try await call(.post, "/v1/readings/\(reading)/void", nurse, json: ["reason": "feil mansjett"])
        try await call(.post, "/v1/readings/\(reading)/void", nurse, json: ["reason": " "])

        try await call(.get, "/v1/audit/access?patient=\(patient)&limit=50", auditor)
        try await call(.get, "/v1/audit/access?limit=0", auditor)
        try await call(.get, "/v1/audit/patients/\(patient)/events?fromVersion=1", auditor)
        try await call(.get, "/v1/audit/patients/\(patient)/view?at=\(World.time(60))", auditor)
        try await call(.get, "/v1/audit/patients/\(patient)/view", auditor)
        try await call(.get, "/v1/audit/alerts/\(alert)/explanation", auditor)
        try await call(.get, "/v1/audit/verify?patient=\(patient)", auditor)
        try await call(.get, "/v1/audit/verify?patient=\(patient)", nurse)

        try await call(.put, "/v1/patients/\(second)/teams", clinician, json: ["kommune": world.kommune.uuidString])
        try await call(.delete, "/v1/patients/\(patient)/devices/BP-1", clinician)
        try await call(.post, "/v1/patients/\(second)/discharge", clinician, json: ["reason": "avsluttet"])
        try await call(.post, "/v1/patients/\(second)/discharge", clinician, json: [String: Any]())
    }

    /// Validates the recorded responses against the document (Python with
    /// jsonschema and referencing, which openapi-spec-validator brings): the
    /// status is documented (or `default`), the media type is documented for it,
    /// and the body matches its schema, with no members the schema leaves out.
    static let checker = #"""
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
        """#
}
