import Foundation
import HTTPTypes
import Hummingbird
import Testing
import VardeCore

/// Issue 15, defect 2: the retry rule compares content. The same id with the
/// same content is a duplicate; the same id with other content is a conflict
/// naming the field, never a silent drop. The same holds for FHIR identifiers
/// and for `Idempotency-Key`s.
@Suite("HTTP: retries compare content")
struct RetryRuleTests {
    static func spo2(_ id: String, _ value: Double, at time: String) -> [String: Any] {
        ["id": id, "deviceSerial": "OX-1", "measuredAt": time, "kind": "spo2", "unit": "%", "value": value]
    }

    @Test("a reused reading id with another value is a conflict at /value and stores nothing; the same content is a duplicate")
    func reusedReadingID() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let time = World.time(1)
            let (_, first) = try await client.ingestPost(w, [Self.spo2("dup1", 95, at: time)])
            #expect(first.first?["status"] as? String == "created")
            let (_, same) = try await client.ingestPost(w, [Self.spo2("dup1", 95, at: time)])
            #expect(
                same.first?["status"] as? String == "duplicate" && same.first?["eventId"] as? String == first.first?["eventId"] as? String)
            // A red SpO2 under the same id: refused, named, and not stored.
            let (reply, other) = try await client.ingestPost(w, [Self.spo2("dup1", 80, at: time)])
            #expect(reply.status == .ok)
            let error = other.first?["error"] as? [String: Any]
            #expect(other.first?["status"] as? String == "conflict", "\(reply.text)")
            #expect(error?["status"] as? Int == 409 && error?["pointer"] as? String == "/readings/0/value")
            let (_, later) = try await client.ingestPost(w, [Self.spo2("dup1", 95, at: World.time(2))])
            #expect((later.first?["error"] as? [String: Any])?["pointer"] as? String == "/readings/0/measuredAt")
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 1)
            #expect(try await client.count("SELECT count(*) FROM alerts") == 0, "the 80 raised nothing")
        }
    }

    @Test("two requests with one reading id and different values in the same group-commit run: one stored, the other a conflict")
    func reusedInOneRun() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let time = World.time(1)
            async let a = client.ingestPost(w, [Self.spo2("same", 95, at: time)])
            async let b = client.ingestPost(w, [Self.spo2("same", 80, at: time)])
            let statuses = [try await a.1.first?["status"] as? String, try await b.1.first?["status"] as? String].compactMap { $0 }
            #expect(statuses.sorted() == ["conflict", "created"], "\(statuses)")
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 1)
        }
    }

    @Test("a FHIR identifier reused for another value is a 409 OperationOutcome at the value; a resend is the same Observation")
    func reusedFHIRIdentifier() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            var o = FHIRFixture.spo2(95, patient: w.patient, identifier: "obs-1")
            o["device"] = ["reference": "Device/OX-1"]
            let first = try await client.fhirPost("/fhir/Observation", w, o)
            #expect(first.status == .created, "\(first.text)")
            #expect(try await client.fhirPost("/fhir/Observation", w, o).status == .ok)
            var changed = o
            changed["valueQuantity"] = ["value": 82, "unit": "%", "system": "http://unitsofmeasure.org", "code": "%"]
            let conflict = try await client.fhirPost("/fhir/Observation", w, changed)
            #expect(conflict.status == .conflict, "\(conflict.text)")
            let issue = (conflict.object["issue"] as? [[String: Any]])?.first
            #expect(issue?["code"] as? String == "conflict")
            #expect((issue?["expression"] as? [String]) == ["Observation.valueQuantity.value"])
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 1)
        }
    }

    @Test("a team create repeated with its Idempotency-Key answers the first team; with another body it is 422 and changes nothing")
    func repeatedTeamCreate() async throws {
        try await TestApp.run { client in
            let admin = try TestApp.token(.admin, subject: "admin-idem")
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "team-key-1"]
            let body = ["name": "Oppfølging Heimdal", "kind": "kommune", "kommunenummer": "5001"]
            let first = try await client.request(.post, "/v1/teams", token: admin, json: body, headers: key)
            #expect(first.status == .created)
            let again = try await client.request(.post, "/v1/teams", token: admin, json: body, headers: key)
            #expect(again.status == .created && again.object["id"] as? String == first.object["id"] as? String)
            var other = body
            other["name"] = "Oppfølging Byåsen"
            let refused = try await client.request(.post, "/v1/teams", token: admin, json: other, headers: key)
            #expect(refused.status == .unprocessableContent, "\(refused.text)")
            #expect(IngestErrorTests.pointers(refused.object) == ["/name"])
            #expect(try await client.count("SELECT count(*) FROM events WHERE type = 'TeamCreated'") == 1)
            let team = try await client.request(.get, "/v1/teams/\(first.object["id"] as? String ?? "")", token: admin)
            #expect(team.object["name"] as? String == "Oppfølging Heimdal")
        }
    }

    @Test("an enrolment repeated with its Idempotency-Key: the same body answers (logged), another is 422, off the team 404")
    func repeatedEnrolment() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "enrol-key-1"]
            let body: [String: Any] = [
                "nationalId": World.nationalIDs[1], "kommunenummer": "5001", "program": "kols",
                "teams": ["kommune": w.kommune.uuidString, "sykehus": w.sykehus.uuidString],
            ]
            let first = try await client.request(.post, "/v1/patients", token: w.clinician, json: body, headers: key)
            #expect(first.status == .created)
            let id = first.object["id"] as? String ?? ""
            let logged = try await client.count("SELECT count(*) FROM access_log WHERE patient_id = $1", [id])
            let again = try await client.request(.post, "/v1/patients", token: w.clinician, json: body, headers: key)
            #expect(again.status == .created && again.object["id"] as? String == id)
            #expect(try await client.count("SELECT count(*) FROM access_log WHERE patient_id = $1", [id]) == logged + 1)
            var other = body
            other["nationalId"] = World.nationalIDs[3]
            let refused = try await client.request(.post, "/v1/patients", token: w.clinician, json: other, headers: key)
            #expect(refused.status == .unprocessableContent && IngestErrorTests.pointers(refused.object) == ["/nationalId"])
            #expect(!refused.text.contains(World.nationalIDs[1]), "the answer never shows the other number")
            // The patient moves to the other kommune; the clinician (same subject) repeats her request.
            let moved = try await client.request(
                .put, "/v1/patients/\(id)/teams", token: w.clinician, json: ["kommune": w.otherKommune.uuidString])
            #expect(moved.status == .ok)
            let outsider = try await client.request(.post, "/v1/patients", token: w.clinician, json: body, headers: key)
            #expect(outsider.status == .notFound, "\(outsider.text.prefix(200))")
            #expect(try await client.count("SELECT count(*) FROM events WHERE type = 'PatientEnrolled'") == 2)
        }
    }
}

/// Issue 15, defects 6 and 9: gateways reach only the patients of the teams
/// they serve; out of reach is refused exactly as unknown, and the attempt
/// is in that patient's access log.
@Suite("HTTP: what a gateway reaches")
struct GatewayReachTests {
    @Test("a gateway of another team: refused exactly as an unknown device, patient or fødselsnummer; the attempt is logged")
    func outOfReachIsUnknown() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let stranger = try await client.createGateway(admin: w.admin, teams: [w.otherKommune])
            func post(_ token: String, _ item: [String: Any]) async throws -> [String: Any] {
                let reply = try await client.request(.post, "/v1/readings", token: token, json: ["readings": [item]])
                #expect(reply.status == .ok)
                return (reply.object["results"] as? [[String: Any]])?.first?["error"] as? [String: Any] ?? [:]
            }
            let base: [String: Any] = ["id": "x", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 96]
            func with(_ extra: [String: Any]) -> [String: Any] { base.merging(extra) { $1 } }
            // By device: a bound device of a patient out of reach, and a device nobody has.
            let bound = try await post(stranger.key, with(["deviceSerial": "OX-1"]))
            let none = try await post(stranger.key, with(["deviceSerial": "OX-1"].merging(["deviceSerial": "NOPE-1"]) { $1 }))
            #expect(bound["status"] as? Int == 404 && none["status"] as? Int == 404)
            #expect(bound["pointer"] as? String == none["pointer"] as? String)
            #expect(
                (bound["detail"] as? String)?.replacingOccurrences(of: "OX-1", with: "S")
                    == (none["detail"] as? String)?.replacingOccurrences(of: "NOPE-1", with: "S"))
            // By patient id: the real patient and a made-up one.
            let real = try await post(stranger.key, with(["patientId": w.patient.uuidString]))
            let madeUp = try await post(stranger.key, with(["patientId": UUID().uuidString]))
            #expect(NSDictionary(dictionary: real) == NSDictionary(dictionary: madeUp), "\(real) \(madeUp)")
            // By fødselsnummer (FHIR subject identifier): enrolled elsewhere, and not enrolled.
            func fhir(_ nationalID: String) async throws -> Client.Reply {
                var o = FHIRFixture.spo2(96, patient: w.patient)
                o["subject"] = ["identifier": ["system": "urn:oid:2.16.578.1.12.4.1.4.1", "value": nationalID]]
                return try await client.request(
                    .post, "/fhir/Observation", token: stranger.key, json: o, contentType: "application/fhir+json")
            }
            let enrolled = try await fhir(World.nationalIDs[0]), unknown = try await fhir(World.nationalIDs[1])
            #expect(enrolled.status == unknown.status && enrolled.status == .notFound)
            #expect(enrolled.text == unknown.text)
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 0)
            let attempts = try await client.accessLog().filter { $0.outcome == "refused" }
            #expect(attempts.count == 3 && attempts.allSatisfy { $0.patient == w.patient && $0.action == "postReadings" })
            // Once the admin assigns the team, the same gateway may post.
            let assigned = try await client.request(
                .put, "/v1/gateways/\(stranger.id)/teams", token: w.admin,
                json: ["teams": [w.otherKommune.uuidString, w.kommune.uuidString]])
            #expect(assigned.status == .ok, "\(assigned.text)")
            let (_, results) = try await client.ingestPost(
                World(
                    kommune: w.kommune, otherKommune: w.otherKommune, sykehus: w.sykehus, gateway: stranger.id, gatewayKey: stranger.key,
                    admin: w.admin, clinician: w.clinician, nurse: w.nurse, sykehusNurse: w.sykehusNurse, otherNurse: w.otherNurse,
                    otherClinician: w.otherClinician, auditor: w.auditor, patient: w.patient),
                [with(["deviceSerial": "OX-1"])])
            #expect(results.first?["status"] as? String == "created", "\(results)")
        }
    }

    @Test("a gateway key reads nothing: every read route answers 403")
    func gatewaysReadNothing() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            for path in [
                "/v1/patients/\(w.patient)", "/v1/patients/\(w.patient)/readings", "/v1/teams/\(w.kommune)/alerts",
                "/v1/teams/\(w.kommune)/patients", "/v1/teams/\(w.kommune)", "/fhir/Observation?patient=Patient/\(w.patient)",
                "/v1/audit/patients/\(w.patient)/events", "/v1/audit/access",
            ] {
                #expect(try await client.request(.get, path, token: w.gatewayKey).status == .forbidden, "\(path)")
            }
        }
    }
}

/// Issue 15, defect 9: a search that leaves out patients of other teams
/// logs them as filtered.
@Suite("HTTP: attempts in the access log")
struct AccessAttemptTests {
    @Test("a search by fødselsnummer outside the caller's teams answers nothing and logs the patient as filtered")
    func filteredSearch() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let reply = try await client.request(
                .post, "/v1/patients/search", token: w.otherNurse, json: ["nationalId": World.nationalIDs[0]])
            #expect(reply.status == .ok && (reply.object["patients"] as? [Any])?.isEmpty == true, "\(reply.text)")
            let entries = try await client.accessLog().filter { $0.subject == "nurse-other" }
            #expect(entries.map(\.outcome) == ["filtered"] && entries.first?.patient == w.patient)
        }
    }
}
