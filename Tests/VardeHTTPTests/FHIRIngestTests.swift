import Foundation
import Hummingbird
import Testing
import VardeCore
import VardeStore

/// Loading the official HL7 examples and posting FHIR as a gateway.
enum FHIRFixture {
    /// Tests/Fixtures/fhir-r4 (see FHIRFixtures in VardeCoreTests).
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/fhir-r4").standardizedFileURL.path
    static let names = [
        "observation-example-bloodpressure", "observation-example-satO2", "observation-example",
        "observation-example-heart-rate", "observation-example-body-temperature",
    ]

    /// The fixture with `Patient/example` pointing at `patient`; its effective time is replaced when `effective` is given.
    static func load(_ name: String, patient: UUID, effective: String? = nil) throws -> [String: Any] {
        let text = try String(contentsOfFile: "\(directory)/\(name).json", encoding: .utf8)
            .replacingOccurrences(of: "Patient/example", with: "Patient/\(patient.uuidString.lowercased())")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        if let effective { object["effectiveDateTime"] = effective }
        return object
    }

    static func observation(
        kind loinc: String, _ value: [String: Any]?, subject: [String: Any]?, effective: String,
        identifier: String? = nil, extra: [String: Any] = [:]
    ) -> [String: Any] {
        var o: [String: Any] = [
            "resourceType": "Observation", "status": "final",
            "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"]]]],
            "code": ["coding": [["system": "http://loinc.org", "code": loinc]]],
            "effectiveDateTime": effective,
        ]
        if let subject { o["subject"] = subject }
        if let value { o["valueQuantity"] = value }
        if let identifier { o["identifier"] = [["system": "urn:test:gateway", "value": identifier]] }
        for (k, v) in extra { o[k] = v }
        return o
    }

    static func spo2(_ percent: Double, patient: UUID, at offset: TimeInterval = 1, identifier: String? = nil) -> [String: Any] {
        observation(
            kind: "59408-5", ["value": percent, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"],
            subject: ["reference": "Patient/\(patient.uuidString.lowercased())"], effective: World.time(offset), identifier: identifier)
    }
}

extension Client {
    func fhirPost(_ path: String, _ world: World, _ resource: [String: Any]) async throws -> Reply {
        try await request(.post, path, token: world.gatewayKey, json: resource, contentType: "application/fhir+json")
    }

    /// Binds `serial` to `patient` from `at` on, written as the event the bind command would
    /// have written then (the API binds from now), and waits for the projection.
    func bind(_ serial: String, to patient: UUID, since at: Date, kind: String = "pulseOximeter") async throws {
        let event = PatientEvent.deviceBound(DeviceBound(serial: serial, kind: kind, at: at))
        _ = try await EventStore(database: database).append(
            to: StreamName.patient(patient), expected: .any,
            [
                NewEvent(
                    id: UUID(), type: DeviceBound.type, data: event.encode(), metadata: EventMetadata(actor: "test", role: "clinician"))
            ])
        for _ in 0..<100 {
            let bound = try await database.withConnection { c in
                try c.query("SELECT 1 FROM device_bindings WHERE serial = $1", [serial]).rowCount
            }
            if bound == 1 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw SeedError("binding \(serial) not projected")
    }
}

@Suite("HTTP: FHIR R4 Observations")
struct FHIRIngestTests {
    static let oslo: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Oslo")!
        return calendar
    }()

    /// `YYYY-MM-DD` of the day `offset` days from today in Oslo.
    static func osloDay(_ offset: Int) -> String {
        let parts = oslo.dateComponents([.year, .month, .day], from: oslo.date(byAdding: .day, value: offset, to: Date())!)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    static func expectOutcome(
        _ reply: Client.Reply, _ status: HTTPResponse.Status, expression: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.headers[.contentType] == "application/fhir+json", sourceLocation: sourceLocation)
        #expect(reply.object["resourceType"] as? String == "OperationOutcome", sourceLocation: sourceLocation)
        if let expression {
            let issues = reply.object["issue"] as? [[String: Any]] ?? []
            #expect(issues.first?["expression"] as? [String] == [expression], "\(reply.text)", sourceLocation: sourceLocation)
        }
    }

    @Test("each HL7 example is accepted: 201, Location, an Observation in canonical units", arguments: FHIRFixture.names)
    func fixture(_ name: String) async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let body = try FHIRFixture.load(name, patient: world.patient, effective: World.time(1))
            let reply = try await client.fhirPost("/fhir/Observation", world, body)
            #expect(reply.status == .created, "\(reply.text)")
            #expect(reply.headers[.contentType] == "application/fhir+json")
            let id = try #require(reply.object["id"] as? String)
            #expect(reply.headers[.location] == "/fhir/Observation/\(id)")
            #expect(reply.object["resourceType"] as? String == "Observation")
            #expect(reply.object["subject"] as? [String: String] == ["reference": "Patient/\(world.patient.uuidString.lowercased())"])
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 1)
            let stored = try await client.ingestReadings(world.patient, token: world.nurse)
            let value = try #require(stored.first?["value"] as? [String: Any])
            switch name {
            case "observation-example-bloodpressure":
                #expect(value["systolic"] as? Double == 107 && value["diastolic"] as? Double == 60)
            case "observation-example":
                #expect(value["value"] as? Double == 83.915)
                #expect((reply.object["valueQuantity"] as? [String: Any])?["code"] as? String == "kg")
            case "observation-example-satO2": #expect(value["value"] as? Double == 95)
            case "observation-example-heart-rate": #expect(value["value"] as? Double == 44)
            default: #expect(value["value"] as? Double == 36.5)
            }
            // a resend is recognised (by identifier, or by content when there is none)
            let again = try await client.fhirPost("/fhir/Observation", world, body)
            #expect(again.status == .ok)
            #expect(again.object["id"] as? String == id)
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 1)
        }
    }

    @Test("the Location of a post reads back: the same Observation for the patient's team, 404 OperationOutcome for others")
    func readBack() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let posted = try await client.fhirPost(
                "/fhir/Observation", world, FHIRFixture.spo2(93, patient: world.patient, identifier: "read-1"))
            let location = try #require(posted.headers[.location])
            let read = try await client.request(.get, location, token: world.nurse)
            #expect(read.status == .ok, "\(read.text)")
            #expect(read.headers[.contentType] == "application/fhir+json")
            #expect(read.object["id"] as? String == posted.object["id"] as? String)
            #expect((read.object["valueQuantity"] as? [String: Any])?["value"] as? Double == 93)
            #expect(read.object["status"] as? String == "final")
            for (path, token) in [
                (location, world.otherNurse), ("/fhir/Observation/\(UUID())", world.nurse), ("/fhir/Observation/x", world.nurse),
            ] {
                let missing = try await client.request(.get, path, token: token)
                #expect(missing.status == .notFound, "\(path): \(missing.text)")
                #expect(missing.object["resourceType"] as? String == "OperationOutcome")
            }
            let outsider = try await client.request(.get, location, token: world.otherNurse)
            let unknown = try await client.request(.get, "/fhir/Observation/\(UUID())", token: world.otherNurse)
            #expect(outsider.text == unknown.text, "existence leaks")
            #expect(try await client.accessLog().contains { $0.action == "readFHIRObservation" && $0.subject == "nurse-1" })
        }
    }

    @Test("the answer comes from the event when the read model lags behind")
    func answerWithoutProjection() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let body = FHIRFixture.spo2(95, patient: world.patient, identifier: "lag-1")
            let first = try await client.fhirPost("/fhir/Observation", world, body)
            let id = try #require(first.object["id"] as? String)
            try await client.database.withConnection { c in _ = try c.query("DELETE FROM readings WHERE event_id = $1::uuid", [id]) }
            let again = try await client.fhirPost("/fhir/Observation", world, body)
            #expect(again.status == .ok, "\(again.text)")
            #expect(again.object["id"] as? String == id)
            #expect((again.object["valueQuantity"] as? [String: Any])?["value"] as? Double == 95)
            #expect(again.object["subject"] as? [String: String] == ["reference": "Patient/\(world.patient.uuidString.lowercased())"])
        }
    }

    @Test("a date-only effectiveDateTime means the start of that day in Europe/Oslo")
    func dateOnly() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            // A device bound two days ago.
            let patient = try await client.enroll(
                nationalID: World.nationalIDs[1], kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            try await client.bind("SCALE-1", to: patient, since: Date().addingTimeInterval(-2 * 86_400), kind: "scale")
            var oslo = Calendar(identifier: .gregorian)
            oslo.timeZone = TimeZone(identifier: "Europe/Oslo")!
            let yesterday = oslo.date(byAdding: .day, value: -1, to: Date())!
            let parts = oslo.dateComponents([.year, .month, .day], from: yesterday)
            let day = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
            let midnight = oslo.date(from: DateComponents(year: parts.year, month: parts.month, day: parts.day))!
            let body = try FHIRFixture.load("observation-example", patient: patient, effective: day)
            let reply = try await client.fhirPost("/fhir/Observation", world, body)
            #expect(reply.status == .created, "\(reply.text)")
            let effective = try #require(reply.object["effectiveDateTime"] as? String)
            #expect(try FHIRDateTime.parse(effective) == midnight)
            #expect(reply.object["device"] as? [String: String] == ["reference": "Device/SCALE-1"])
            // before the binding: refused
            let early = try FHIRFixture.load("observation-example", patient: patient, effective: "2016-03-28")
            Self.expectOutcome(try await client.fhirPost("/fhir/Observation", world, early), .forbidden)
        }
    }

    @Test("a date-only reading is judged by the binding in force latest that day: the device handed out today, or moved today")
    func dateOnlyOnTheBindingDay() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let day = Self.osloDay
            let weight = ["value": 81.5, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"] as [String: Any]
            func byDevice(_ serial: String, _ effective: String, _ id: String) -> [String: Any] {
                FHIRFixture.observation(
                    kind: "29463-7", weight, subject: nil, effective: effective, identifier: id,
                    extra: ["device": ["reference": "Device/\(serial)"]])
            }
            func subject(_ reply: Client.Reply) -> String? { (reply.object["subject"] as? [String: Any])?["reference"] as? String }

            // Handed out a moment ago: today's date-only reading is the patient's (00:00 is before the binding).
            let a = try await client.enroll(
                nationalID: World.nationalIDs[1], kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            try await client.bind("SCALE-NEW", kind: "scale", to: a, clinician: world.clinician)
            let handedOut = try await client.fhirPost("/fhir/Observation", world, byDevice("SCALE-NEW", day(0), "new-1"))
            #expect(handedOut.status == .created, "\(handedOut.text)")
            #expect(subject(handedOut) == "Patient/\(a.uuidString.lowercased())")
            var bySubject = FHIRFixture.observation(
                kind: "29463-7", weight, subject: ["reference": "Patient/\(a.uuidString.lowercased())"],
                effective: day(0), identifier: "new-2")
            bySubject["device"] = ["reference": "Device/SCALE-NEW"]
            #expect(try await client.fhirPost("/fhir/Observation", world, bySubject).status == .created)
            // Yesterday it was nobody's.
            Self.expectOutcome(try await client.fhirPost("/fhir/Observation", world, byDevice("SCALE-NEW", day(-1), "new-3")), .notFound)

            // Moved today from b to c: today's reading goes to c, who has it now; yesterday's to b.
            let b = try await client.enroll(
                nationalID: World.nationalIDs[2], kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            let c = try await client.enroll(
                nationalID: World.nationalIDs[3], kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            try await client.bind("SCALE-MOVED", to: b, since: Date().addingTimeInterval(-3 * 86_400), kind: "scale")
            #expect(try await client.request(.delete, "/v1/patients/\(b)/devices/SCALE-MOVED", token: world.clinician).status == .noContent)
            try await client.bind("SCALE-MOVED", kind: "scale", to: c, clinician: world.clinician)
            let today = try await client.fhirPost("/fhir/Observation", world, byDevice("SCALE-MOVED", day(0), "moved-1"))
            #expect(subject(today) == "Patient/\(c.uuidString.lowercased())", "\(today.text)")
            let yesterday = try await client.fhirPost("/fhir/Observation", world, byDevice("SCALE-MOVED", day(-1), "moved-2"))
            #expect(subject(yesterday) == "Patient/\(b.uuidString.lowercased())", "\(yesterday.text)")
        }
    }

    @Test("today's date is never in the future, whatever the hour in Oslo, and a search for that date finds it")
    func today() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let oslo = Self.oslo, day = Self.osloDay
            let today = day(0)
            try await client.bind("OX-OLD", to: world.patient, since: Date().addingTimeInterval(-2 * 86_400))
            let pulse = ["value": 64, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"] as [String: Any]
            let subject = ["reference": "Patient/\(world.patient.uuidString.lowercased())"]
            let body = FHIRFixture.observation(kind: "8867-4", pulse, subject: subject, effective: today, identifier: "today-1")
            let reply = try await client.fhirPost("/fhir/Observation", world, body)
            #expect(reply.status == .created, "\(reply.text)")
            let effective = try FHIRDateTime.parse(try #require(reply.object["effectiveDateTime"] as? String))
            #expect(effective == oslo.startOfDay(for: Date()))
            let id = try #require(reply.object["id"] as? String)
            for query in ["date=\(today)", "date=eq\(today)", "date=ge\(today)", "date=le\(today)", "date=\(today.prefix(7))"] {
                let found = try await client.request(.get, "/fhir/Observation?patient=\(world.patient)&\(query)", token: world.nurse)
                #expect(FHIRSearchTests.ids(found) == [id], "\(query)")
            }
            for query in ["date=lt\(today)", "date=gt\(today)", "date=ne\(today)"] {
                let found = try await client.request(.get, "/fhir/Observation?patient=\(world.patient)&\(query)", token: world.nurse)
                #expect(FHIRSearchTests.ids(found).isEmpty, "\(query)")
            }
            // the day after tomorrow starts at least a day from now: refused as future
            let later = FHIRFixture.observation(kind: "8867-4", pulse, subject: subject, effective: day(2), identifier: "later-1")
            Self.expectOutcome(
                try await client.fhirPost("/fhir/Observation", world, later), .unprocessableContent, expression: "Observation.effective")
        }
    }

    @Test("subject by fødselsnummer identifier, device by reference, effectivePeriod")
    func subjectDeviceAndPeriod() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let pulse = ["value": 72, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"] as [String: Any]
            let byIdentifier = FHIRFixture.observation(
                kind: "8867-4", pulse,
                subject: ["identifier": ["system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": World.nationalIDs[0]]],
                effective: World.time(1), identifier: "fnr-1")
            let a = try await client.fhirPost("/fhir/Observation", world, byIdentifier)
            #expect(a.status == .created, "\(a.text)")
            #expect((a.object["subject"] as? [String: Any])?["reference"] as? String == "Patient/\(world.patient.uuidString.lowercased())")
            #expect(!a.text.contains(World.nationalIDs[0]))

            var byDevice = FHIRFixture.observation(
                kind: "8867-4", pulse, subject: nil, effective: World.time(2), identifier: "dev-1",
                extra: ["device": ["reference": "Device/OX-1"]])
            let b = try await client.fhirPost("/fhir/Observation", world, byDevice)
            #expect(b.status == .created, "\(b.text)")
            #expect((b.object["subject"] as? [String: Any])?["reference"] as? String == "Patient/\(world.patient.uuidString.lowercased())")
            #expect(b.object["device"] as? [String: String] == ["reference": "Device/OX-1"])

            byDevice["identifier"] = [["system": "urn:test:gateway", "value": "period-1"]]
            byDevice.removeValue(forKey: "effectiveDateTime")
            let start = World.time(3)
            byDevice["effectivePeriod"] = ["start": start, "end": World.time(4)]
            let c = try await client.fhirPost("/fhir/Observation", world, byDevice)
            #expect(c.status == .created, "\(c.text)")
            #expect(try FHIRDateTime.parse(c.object["effectiveDateTime"] as? String ?? "") == FHIRDateTime.parse(start))

            let unknownFnr = FHIRFixture.observation(
                kind: "8867-4", pulse, subject: ["identifier": ["system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": World.nationalIDs[1]]],
                effective: World.time(1), identifier: "fnr-2")
            let d = try await client.fhirPost("/fhir/Observation", world, unknownFnr)
            Self.expectOutcome(d, .notFound)
            #expect(!d.text.contains(World.nationalIDs[1]))
            let badFnr = FHIRFixture.observation(
                kind: "8867-4", pulse, subject: ["identifier": ["system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": "31129956716"]],
                effective: World.time(1), identifier: "fnr-3")
            let e = try await client.fhirPost("/fhir/Observation", world, badFnr)
            Self.expectOutcome(e, .unprocessableContent, expression: "Observation.subject.identifier.value")
            #expect(!e.text.contains("31129956716"))
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 3)
        }
    }

    @Test("subject by D-nummer identifier, device by identifier; the number, not the system's label, names the person")
    func dNummerAndDeviceIdentifier() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let dNummer = World.nationalIDs[2]  // 43022014103: day + 40
            let patient = try await client.patient(world, nationalID: dNummer, serial: "OX-D", kind: "pulseOximeter")
            let pulse = ["value": 64, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"] as [String: Any]
            let bySystem = FHIRFixture.observation(
                kind: "8867-4", pulse, subject: ["identifier": ["system": "urn:oid:2.16.578.1.12.4.1.4.2", "value": dNummer]],
                effective: World.time(1), identifier: "dnr-1")
            let a = try await client.fhirPost("/fhir/Observation", world, bySystem)
            #expect(a.status == .created, "\(a.text)")
            #expect((a.object["subject"] as? [String: Any])?["reference"] as? String == "Patient/\(patient.uuidString.lowercased())")
            #expect(!a.text.contains(dNummer))

            let byDeviceIdentifier = FHIRFixture.observation(
                kind: "8867-4", pulse, subject: nil, effective: World.time(2), identifier: "dnr-2",
                extra: ["device": ["identifier": ["system": "urn:test:serial", "value": "OX-D"]]])
            let b = try await client.fhirPost("/fhir/Observation", world, byDeviceIdentifier)
            #expect(b.status == .created, "\(b.text)")
            #expect((b.object["subject"] as? [String: Any])?["reference"] as? String == "Patient/\(patient.uuidString.lowercased())")

            // A gateway that labels a D-nummer with the fødselsnummer system still names the same
            // person (the number says which kind it is); any other system is refused.
            let wrongSystem = FHIRFixture.observation(
                kind: "8867-4", pulse, subject: ["identifier": ["system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": dNummer]],
                effective: World.time(3), identifier: "dnr-3")
            let c = try await client.fhirPost("/fhir/Observation", world, wrongSystem)
            #expect(c.status == .created, "\(c.text)")
            #expect((c.object["subject"] as? [String: Any])?["reference"] as? String == "Patient/\(patient.uuidString.lowercased())")
            let otherSystem = FHIRFixture.observation(
                kind: "8867-4", pulse, subject: ["identifier": ["system": "urn:oid:2.16.578.1.12.4.1.4.3", "value": dNummer]],
                effective: World.time(4), identifier: "dnr-4")
            let d = try await client.fhirPost("/fhir/Observation", world, otherSystem)
            Self.expectOutcome(d, .unprocessableContent, expression: "Observation.subject.identifier.system")
            #expect(!d.text.contains(dNummer))
            let stored = try await client.database.withConnection { c in
                try c.query(
                    "SELECT count(*) FROM events WHERE type = 'ReadingRecorded' AND stream_id = $1",
                    ["patient-\(patient.uuidString.lowercased())"]
                ).int(0, 0)
            }
            #expect(stored == 3)
        }
    }

    @Test("errors are OperationOutcomes with application/fhir+json")
    func errors() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let malformed = try await client.request(
                .post, "/fhir/Observation", token: world.gatewayKey, raw: "{", contentType: "application/fhir+json")
            Self.expectOutcome(malformed, .badRequest)
            let media = try await client.request(.post, "/fhir/Observation", token: world.gatewayKey, raw: "{}", contentType: "text/plain")
            Self.expectOutcome(media, .unsupportedMediaType)
            var implausible = FHIRFixture.spo2(101, patient: world.patient)
            Self.expectOutcome(
                try await client.fhirPost("/fhir/Observation", world, implausible), .unprocessableContent,
                expression: "Observation.valueQuantity.value")
            implausible["valueQuantity"] = ["value": 95, "system": "http://unitsofmeasure.org", "code": "kg"]
            Self.expectOutcome(
                try await client.fhirPost("/fhir/Observation", world, implausible), .unprocessableContent,
                expression: "Observation.valueQuantity.code")
            var noCategory = FHIRFixture.spo2(95, patient: world.patient)
            noCategory.removeValue(forKey: "category")
            Self.expectOutcome(
                try await client.fhirPost("/fhir/Observation", world, noCategory), .unprocessableContent,
                expression: "Observation.category")
            let unknownPatient = FHIRFixture.spo2(95, patient: UUID())
            Self.expectOutcome(try await client.fhirPost("/fhir/Observation", world, unknownPatient), .notFound)
            let future = FHIRFixture.spo2(95, patient: world.patient, at: 7200)
            Self.expectOutcome(
                try await client.fhirPost("/fhir/Observation", world, future), .unprocessableContent,
                expression: "Observation.effective")
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 0)
        }
    }

    @Test("errors raised before the FHIR controller (credentials, role) are OperationOutcomes too")
    func authenticationErrorsAreOutcomes() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let observation = FHIRFixture.spo2(95, patient: world.patient)
            let anonymous = try await client.request(.post, "/fhir/Observation", json: observation, contentType: "application/fhir+json")
            Self.expectOutcome(anonymous, .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect((anonymous.object["issue"] as? [[String: Any]])?.first?["code"] as? String == "login")
            // An admin may never post readings: 403, as an OperationOutcome.
            let admin = try await client.request(
                .post, "/fhir/Observation", token: world.admin, json: observation,
                contentType: "application/fhir+json")
            Self.expectOutcome(admin, .forbidden)
            #expect((admin.object["issue"] as? [[String: Any]])?.first?["code"] as? String == "forbidden")
            // Outside /fhir the same failure stays application/problem+json.
            let native = try await client.request(.post, "/v1/readings", json: ["readings": []])
            #expect(native.status == .unauthorized)
            #expect(native.headers[.contentType] == "application/problem+json")
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 0)
        }
    }
}
