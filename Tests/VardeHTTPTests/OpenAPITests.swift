import Foundation
import Hummingbird
import Testing
import VardeHTTP
import Yams

/// Keeps `/openapi.yaml` true: it loads with Yams (no key given twice), it is
/// valid OpenAPI 3.1 (openapi-spec-validator, which must be installed:
/// deploy/python-tools.sh), it is what the server serves, byte for byte, its
/// paths are exactly the routes the server registers, each with its
/// operation's id and roles, and real responses match what it documents
/// (Support/validate_responses.py).
@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("the document is valid OpenAPI 3.1 according to openapi-spec-validator")
    func validates() throws {
        let file = try #require(OpenAPIDocument.resourceURL, "openapi.yaml is not in the VardeHTTP resource bundle")
        let document = try Self.parse(try Self.text())
        #expect(document["openapi"]?.string?.hasPrefix("3.1.") == true, "openapi: \(document["openapi"]?.string ?? "missing")")
        let validator = try #require(
            Self.validator(),
            "openapi-spec-validator is neither on PATH nor in .varde/venv/bin: run deploy/python-tools.sh")
        let (status, output) = try Self.run(validator, [file.path])
        #expect(status == 0, "openapi-spec-validator failed:\n\(output.prefix(4000))")
    }

    /// YAML loaders (the validator's too) silently keep the last of two equal
    /// keys; Yams refuses them, so `parse` is the duplicate-key check.
    @Test("a key given twice is refused by the loader, and the document has none")
    func duplicateKeys() throws {
        let twice = """
            paths:
              /healthz:
                get:
                  operationId: healthz
                  security: []
                  operationId: readyz
            """
        do {
            _ = try Self.parse(twice)
            Issue.record("a mapping with operationId twice was accepted")
        } catch YamlError.duplicatedKeysInMapping(let duplicates, _) {
            #expect(duplicates == ["operationId"])
        }
        #expect(throws: (any Error).self) { try Self.parse("a: 1\nb:\n  c: 2\na: 3\n") }
        let document = try Self.parse(try Self.text())
        #expect(document["paths"]?.mapping?.isEmpty == false)
    }

    @Test("the server does not start without its document")
    func missingDocument() throws {
        let nowhere = FileManager.default.temporaryDirectory.appending(path: "varde-\(UUID().uuidString)/openapi.yaml")
        #expect(throws: OpenAPIDocument.Missing.self) { try OpenAPIDocument.load(from: nowhere) }
        #expect(throws: OpenAPIDocument.Missing.self) { try OpenAPIDocument.load(from: nil) }
        let empty = FileManager.default.temporaryDirectory.appending(path: "varde-\(UUID().uuidString).yaml")
        try Data().write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: OpenAPIDocument.Missing.self) { try OpenAPIDocument.load(from: empty) }
    }

    @Test("every registered route is documented with its operationId and roles, and nothing else is")
    func coversEveryRoute() throws {
        let document = try DocumentedPaths(yaml: try Self.text())
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
            #expect(
                documented.open && documented.method == "GET" && documented.roles == [],
                "\(key) is in /openapi.yaml but the server does not register it")
        }
        for path in ["/healthz", "/readyz", "/openapi.yaml"] {
            #expect(document.operations["GET \(path)"]?.open == true, "GET \(path) is served without credentials but not documented so")
        }
        let ids = document.operations.values.compactMap(\.operationId)
        #expect(Set(ids).count == ids.count, "operationIds must be unique")
        #expect(ids.count == document.operations.count, "every operation needs an operationId")
    }

    @Test("GET /openapi.yaml serves the file byte for byte without credentials, and the open paths exist")
    func served() async throws {
        let source = try Data(contentsOf: Self.sourceFile)
        let bundled = try OpenAPIDocument.bundled()
        #expect(Data(bundled.bytes.readableBytesView) == source, "the bundled openapi.yaml differs from \(Self.sourceFile.path)")
        let openPaths = try DocumentedPaths(yaml: try Self.text()).operations.values.filter(\.open).map(\.path)
        #expect(!openPaths.isEmpty)
        try await TestApp.run { client in
            let reply = try await client.request(.get, "/openapi.yaml")
            #expect(reply.status == .ok)
            #expect(reply.headers[.contentType] == "application/yaml")
            #expect(reply.body == source, "served \(reply.body.count) bytes, the file has \(source.count)")
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
        let document = try #require(OpenAPIDocument.resourceURL, "openapi.yaml is not in the VardeHTTP resource bundle")
        let samples = Samples()
        try await TestApp.run { client in try await ResponseWalk(client: client, samples: samples).run() }
        let file = FileManager.default.temporaryDirectory.appending(path: "varde-samples-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: await samples.all.map(\.json)).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let (status, output) = try Self.run(python, pythonArguments + [Self.checker.path, document.path, file.path])
        #expect(status == 0, "responses that do not match /openapi.yaml:\n\(output.prefix(6000))")
    }

    /// The repository this file is in.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The document as edited, which the build copies into the resource bundle.
    static let sourceFile = repository.appending(path: "Sources/VardeHTTP/Resources/openapi.yaml")
    /// Validates recorded responses against the document (see its docstring).
    static let checker = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appending(path: "Support/validate_responses.py")

    /// The bundled document, the one the server serves.
    static func text() throws -> String {
        String(decoding: try OpenAPIDocument.bundled().bytes.readableBytesView, as: UTF8.self)
    }

    /// The YAML as a node tree; Yams throws `duplicatedKeysInMapping` for a key
    /// given twice in one mapping.
    static func parse(_ yaml: String) throws -> Node {
        guard let node = try Yams.compose(yaml: yaml) else { throw EmptyDocument() }
        return node
    }

    struct EmptyDocument: Error {}

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
        if let data = environment["VARDE_DATA_DIR"] { folders.append(URL(fileURLWithPath: data).appending(path: "venv/bin")) }
        folders.append(repository.appending(path: ".varde/venv/bin"))
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

    /// Runs a program to its end; its status and what it wrote (both streams).
    static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}

/// The operations under `paths:`, read with Yams.
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

    /// Throws if the YAML does not load (a key given twice included).
    init(yaml: String) throws {
        guard let paths = try OpenAPITests.parse(yaml)["paths"]?.mapping else {
            problems.append("no paths: mapping")
            return
        }
        for (name, item) in paths {
            guard let path = name.string, path.hasPrefix("/") else {
                problems.append("not a path: \(name)")
                continue
            }
            guard let item = item.mapping else {
                problems.append("\(path) is not a mapping")
                continue
            }
            // Besides methods a path item may hold summary, description, parameters, servers.
            for (name, operation) in item {
                guard let method = name.string, Self.methods.contains(method) else { continue }
                guard operation.mapping != nil else {
                    problems.append("\(method) \(path) is not a mapping")
                    continue
                }
                let key = "\(method.uppercased()) \(path)"
                if operations[key] != nil { problems.append("\(key) appears twice") }
                var documented = Operation(method: method.uppercased(), path: path)
                documented.operationId = operation["operationId"]?.string
                if let roles = operation["x-varde-roles"] {
                    if let list = roles.sequence {
                        documented.roles = Set(list.compactMap(\.string))
                    } else {
                        problems.append("\(key): x-varde-roles is not a list")
                    }
                }
                documented.open = operation["security"]?.sequence?.isEmpty == true
                operations[key] = documented
            }
        }
        if operations.isEmpty { problems.append("no operations found under paths:") }
    }
}

/// The PHD IG's device identifier systems, as a gateway writes them.
enum DeviceIdentityText {
    static let eui64 = "urn:oid:1.2.840.10004.1.1.1.0.0.1.0.0.1.2680"
    static let bluetooth = "http://hl7.org/fhir/sid/eui-48/bluetooth"
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
/// and records each response; `OpenAPITests.checker` (validate_responses.py)
/// then validates them against the document (media type per status, JSON
/// schema per media type).
struct ResponseWalk {
    let client: Client
    let samples: Samples

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, _ token: String? = nil, json: Any? = nil, raw: String? = nil,
        contentType: String = "application/json"
    ) async throws -> Client.Reply {
        let reply = try await client.request(method, path, token: token, json: json, raw: raw, contentType: contentType)
        await samples.add(
            Sample(
                method: method.rawValue, path: path, status: reply.status.code,
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
        try await call(
            .post, "/v1/teams", admin, json: ["name": "Medisinsk poliklinikk", "kind": "sykehus", "healthTrust": "St. Olavs hospital HF"])
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
        try await call(
            .post, "/v1/patients", clinician,
            json: [
                "nationalId": "12345678910", "kommunenummer": "5001", "program": "kols",
                "teams": ["kommune": world.kommune.uuidString],
            ])
        try await call(.post, "/v1/patients/search", nurse, json: ["nationalId": World.nationalIDs[0]])
        try await call(.get, "/v1/patients/\(patient)", world.otherNurse)
        try await call(
            .put, "/v1/patients/\(patient)/thresholds", clinician,
            json: [
                "reason": "individuelt",
                "thresholds": [
                    "spo2Low": ["yellow": 90, "red": 85], "systolicHigh": ["yellow": 170, "red": 200],
                    "weightGain": ["yellowKg": 2, "redKg": 3, "windowDays": 3],
                    "expected": [["kind": "spo2", "intervalHours": 24, "graceHours": 12]],
                ],
            ])
        // The what-if of the threshold editor: an answer, a refused value (422), a wrong shape (400).
        let proposed: [String: Any] = ["spo2Low": ["yellow": 95, "red": 90], "expected": [] as [Any]]
        try await call(.post, "/v1/patients/\(patient)/thresholds/preview", clinician, json: ["thresholds": proposed, "days": 7])
        try await call(.post, "/v1/patients/\(patient)/thresholds/preview", clinician, json: ["thresholds": proposed, "days": 0])
        try await call(.post, "/v1/patients/\(patient)/thresholds/preview", clinician, json: ["thresholds": proposed, "days": "7"])
        try await call(.post, "/v1/patients/\(patient)/devices", clinician, json: ["serial": "BP-1", "kind": "bloodPressureMonitor"])
        try await call(.post, "/v1/patients/\(second)/devices", clinician, json: ["serial": "BP-1", "kind": "bloodPressureMonitor"])

        let batch: [String: Any] = [
            "readings": [
                ["id": "w-1", "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 84],
                [
                    "id": "w-2", "patientId": patient, "deviceSerial": "BP-1", "measuredAt": World.time(2), "kind": "bloodPressure",
                    "unit": "mm[Hg]", "systolic": 150, "diastolic": 90, "pulse": 70,
                ],
                ["id": "w-3", "deviceSerial": "OX-1", "measuredAt": World.time(3), "kind": "spo2", "unit": "%", "value": 140],
                ["id": "w-4", "deviceSerial": "NOPE-1", "measuredAt": World.time(3), "kind": "pulse", "unit": "/min", "value": 60],
                ["deviceSerial": "OX-1", "kind": "spo2"],
            ]
        ]
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
        try await call(
            .post, "/fhir", gateway, json: ["resourceType": "Bundle", "type": "transaction", "entry": entries], contentType: fhir)
        try await call(.get, "/fhir/Observation?patient=Patient/\(patient)&code=59408-5&date=ge2000-01-01", nurse)
        try await call(.get, "/fhir/Observation?patient=Patient/\(patient)&_count=1&_sort=-date", nurse)
        try await call(.get, "/fhir/Observation?patient=Patient/\(patient)&_count=0", nurse)
        try await call(.get, "/fhir/Observation", nurse)
        try await call(.get, "/fhir/Observation?patient=\(UUID())", nurse)

        // PHD gateways: identifiers, devices bound by EUI-64, a transaction Bundle, the reads it points at.
        try await call(
            .put, "/v1/patients/\(patient)/identifiers", clinician,
            json: ["identifiers": [["system": "urn:oid:2.999.1.2.3.4.5.6.7.8.10", "value": "walk-1"]]])
        try await call(
            .put, "/v1/patients/\(patient)/identifiers", clinician,
            json: ["identifiers": [["system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": World.nationalIDs[0]]]])
        try await call(
            .post, "/v1/patients/\(patient)/devices", clinician,
            json: ["kind": "pulseOximeter", "identifiers": [["system": DeviceIdentityText.eui64, "value": "00:1c:05:04:00:00:78:99"]]])
        try await call(
            .post, "/v1/patients/\(patient)/devices", clinician,
            json: ["kind": "pulseOximeter", "identifiers": [["system": DeviceIdentityText.eui64, "value": "00-1C"]]])
        let phd: [String: Any] = [
            "resourceType": "Bundle", "type": "transaction",
            "entry": [
                [
                    "fullUrl": "urn:uuid:8d0e0b5c-0000-4000-8000-000000000001",
                    "resource": [
                        "resourceType": "Patient",
                        "identifier": [["system": "urn:oid:2.999.1.2.3.4.5.6.7.8.10", "value": "walk-1"]],
                    ],
                    "request": [
                        "method": "POST", "url": "Patient", "ifNoneExist": "identifier=urn:oid:2.999.1.2.3.4.5.6.7.8.10|walk-1",
                    ],
                ],
                [
                    "fullUrl": "urn:uuid:8d0e0b5c-0000-4000-8000-000000000002",
                    "resource": [
                        "resourceType": "Device", "manufacturer": "Nonin",
                        "identifier": [["system": DeviceIdentityText.eui64, "value": "00-1C-05-04-00-00-78-99"]],
                    ],
                    "request": ["method": "POST", "url": "Device"],
                ],
                [
                    "fullUrl": "urn:uuid:8d0e0b5c-0000-4000-8000-000000000003",
                    "resource": [
                        "resourceType": "Observation", "status": "final",
                        "category": [
                            ["coding": [["system": "http://hl7.org/fhir/uv/phd/CodeSystem/PhdObservationCategories", "code": "phd"]]]
                        ],
                        "code": ["coding": [["system": "urn:iso:std:iso:11073:10101", "code": "150456"]]],
                        "subject": ["reference": "urn:uuid:8d0e0b5c-0000-4000-8000-000000000001"],
                        "device": ["reference": "urn:uuid:8d0e0b5c-0000-4000-8000-000000000002"],
                        "effectiveDateTime": World.time(5),
                        "valueQuantity": ["value": 97, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"],
                    ],
                    "request": ["method": "POST", "url": "Observation"],
                ],
                [
                    "fullUrl": "urn:uuid:8d0e0b5c-0000-4000-8000-000000000004",
                    "resource": [
                        "resourceType": "Observation", "status": "final",
                        "code": ["coding": [["system": "urn:iso:std:iso:11073:10101", "code": "150488"]]],
                        "subject": ["reference": "urn:uuid:8d0e0b5c-0000-4000-8000-000000000001"],
                        "effectiveDateTime": World.time(5),
                        "valueQuantity": ["value": 3.1, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"],
                    ],
                    "request": ["method": "POST", "url": "Observation"],
                ],
            ],
        ]
        try await call(.post, "/fhir", gateway, json: phd, contentType: fhir)
        var unknown = phd
        unknown["entry"] = [
            [
                "fullUrl": "urn:uuid:8d0e0b5c-0000-4000-8000-000000000009",
                "resource": ["resourceType": "Patient", "identifier": [["system": "urn:x", "value": "nobody"]]],
                "request": ["method": "POST", "url": "Patient"],
            ]
        ]
        try await call(.post, "/fhir", gateway, json: unknown, contentType: fhir)
        try await call(.get, "/fhir/metadata")
        try await call(.get, "/fhir/Patient/\(patient)", nurse)
        try await call(.get, "/fhir/Patient/\(patient)", gateway)
        try await call(.get, "/fhir/Patient/\(UUID())", nurse)
        try await call(.get, "/fhir/Device/00-1C-05-04-00-00-78-99", nurse)
        try await call(.get, "/fhir/Device/OX-1", gateway)
        try await call(.get, "/fhir/Device/nope", nurse)

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
        // The web app's patient page: the alert history (a voided reading now) and the threshold versions.
        try await call(.get, "/v1/patients/\(patient)/alerts", nurse)
        try await call(.get, "/v1/patients/\(patient)/thresholds", clinician)
        try await call(.get, "/v1/patients/\(UUID())/alerts", nurse)
        try await call(.get, "/v1/patients/\(patient)/thresholds", world.otherNurse)

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
}
