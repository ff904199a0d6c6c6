import Foundation
import Testing
import VardeCore

@Suite("HTTP: GET /fhir/Observation search")
struct FHIRSearchTests {
    static func ids(_ reply: Client.Reply) -> [String] {
        (reply.object["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["id"] as? String }
    }

    static func encoded(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! }

    @Test("a searchset filtered by patient, code and date prefixes")
    func search() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let other = try await client.enroll(
                nationalID: World.nationalIDs[1], kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            try await client.bind("OX-9", to: other, clinician: world.clinician)
            let p = world.patient.uuidString
            // The readings' times are offsets from now; the queries below take
            // theirs from the same moment, however slow the run.
            let base = Date()
            func at(_ seconds: TimeInterval) -> String {
                Self.encoded(ISO8601DateFormatter().string(from: base.addingTimeInterval(seconds)))
            }
            let (_, results) = try await client.ingestPost(
                world,
                [
                    ingestSpO2("s1", 96, at: 10), ingestSpO2("s2", 95, at: 20), ingestSpO2("s3", 94, at: 30),
                    ["id": "p1", "patientId": p, "measuredAt": World.time(20), "kind": "pulse", "unit": "/min", "value": 70],
                    [
                        "id": "bp", "patientId": p, "measuredAt": World.time(25), "kind": "bloodPressure", "unit": "mm[Hg]",
                        "systolic": 130, "diastolic": 85, "pulse": 66,
                    ],
                    ingestSpO2("o1", 97, at: 20, serial: "OX-9"),
                ])
            let event = results.map { $0["eventId"] as? String ?? "?" }
            #expect(results.allSatisfy { $0["status"] as? String == "created" })
            let patient = "Patient/\(world.patient.uuidString.lowercased())"

            let all = try await client.request(.get, "/fhir/Observation?patient=\(patient)", token: world.nurse)
            #expect(all.status == .ok, "\(all.text)")
            #expect(all.headers[.contentType] == "application/fhir+json")
            #expect(all.object["resourceType"] as? String == "Bundle")
            #expect(all.object["type"] as? String == "searchset")
            #expect(all.object["total"] as? Int == 5)
            #expect(Set(Self.ids(all)) == Set(event[0..<5]))
            let entry = (all.object["entry"] as? [[String: Any]])?.first
            #expect((entry?["search"] as? [String: Any])?["mode"] as? String == "match")
            #expect((entry?["fullUrl"] as? String)?.hasSuffix("Observation/\(event[0])") == true)

            let spo2Only = try await client.request(
                .get, "/fhir/Observation?patient=\(patient)&code=\(Self.encoded("http://loinc.org|59408-5"))",
                token: world.nurse)
            #expect(Self.ids(spo2Only) == Array(event[0..<3]))
            let bareCode = try await client.request(.get, "/fhir/Observation?patient=\(world.patient)&code=85354-9", token: world.nurse)
            #expect(Self.ids(bareCode) == [event[4]])
            let components =
                ((bareCode.object["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any])?["component"] as? [[String: Any]]
            #expect(components?.count == 3)

            let ge = at(15), le = at(25)
            let window = try await client.request(
                .get, "/fhir/Observation?patient=\(patient)&code=59408-5&date=ge\(ge)&date=le\(le)",
                token: world.nurse)
            #expect(Self.ids(window) == [event[1]])
            let after = try await client.request(
                .get, "/fhir/Observation?patient=\(patient)&date=gt\(at(22))",
                token: world.nurse)
            #expect(Set(Self.ids(after)) == [event[2], event[4]])

            let otherPatient = try await client.request(
                .get, "/fhir/Observation?patient=Patient/\(other.uuidString.lowercased())", token: world.nurse)
            #expect(Self.ids(otherPatient) == [event[5]])
        }
    }

    /// Readings just inside and just outside days, in Oslo time, around the autumn clock change
    /// (2026-10-25 lasts 25 hours) and the edges of October.
    static let edges: [(String, String)] = [
        ("a", "2026-09-30T21:59:59.999Z"),  // 2026-09-30 23:59:59.999 local
        ("b", "2026-09-30T22:00:00.000Z"),  // 2026-10-01 00:00
        ("c", "2026-10-24T21:59:59.999Z"),  // 2026-10-24 23:59:59.999
        ("d", "2026-10-24T22:00:00.000Z"),  // 2026-10-25 00:00 (+02:00)
        ("e", "2026-10-25T22:59:59.999Z"),  // 2026-10-25 23:59:59.999 (+01:00)
        ("f", "2026-10-25T23:00:00.000Z"),  // 2026-10-26 00:00
        ("g", "2026-10-31T22:59:59.999Z"),  // 2026-10-31 23:59:59.999
        ("h", "2026-10-31T23:00:00.000Z"),  // 2026-11-01 00:00
    ]

    static let dateQueries = [
        ("date=2026-10-25", "dei"), ("date=eq2026-10-25", "dei"), ("date=ne2026-10-25", "abcfgh"),
        ("date=ge2026-10-25", "defghi"), ("date=gt2026-10-25", "fgh"), ("date=sa2026-10-25", "fgh"),
        ("date=lt2026-10-25", "abc"), ("date=eb2026-10-25", "abc"), ("date=le2026-10-25", "abcdei"),
        ("date=2026-10", "bcdefgi"), ("date=ge2026-10-01&date=lt2026-11-01", "bcdefgi"), ("date=2026", "abcdefghi"),
        ("date=lt2026-10-01", "a"), ("date=gt2026-10", "h"), ("date=\(Self.encoded("2026-10-25T00:00:00+02:00"))", "di"),
        ("date=ge2026-10-25&date=le2026-10-25&code=8867-4", "i"),
    ]

    @Test("date searches cover the day, month or second the value names, in Oslo time")
    func dates() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.bind("OX-OLD", to: world.patient, since: Self.date("2026-01-01T00:00:00Z"))
            let p = world.patient.uuidString
            // The readings' times are offsets from now; the queries below take
            // theirs from the same moment, however slow the run.
            let base = Date()
            func at(_ seconds: TimeInterval) -> String {
                Self.encoded(ISO8601DateFormatter().string(from: base.addingTimeInterval(seconds)))
            }
            let (_, results) = try await client.ingestPost(
                world,
                Self.edges.map { id, at in
                    ["id": id, "patientId": p, "measuredAt": at, "kind": "spo2", "unit": "%", "value": 96] as [String: Any]
                })
            #expect(results.count == Self.edges.count && results.allSatisfy { $0["status"] as? String == "created" }, "\(results)")
            var events = Dictionary(uniqueKeysWithValues: zip(Self.edges.map(\.0), results.map { $0["eventId"] as? String ?? "?" }))
            // a date-only FHIR Observation of 2026-10-25: the first instant of that day
            let pulse = ["value": 64, "unit": "/min", "system": "http://unitsofmeasure.org", "code": "/min"] as [String: Any]
            let dateOnly = try await client.fhirPost(
                "/fhir/Observation", world,
                FHIRFixture.observation(
                    kind: "8867-4", pulse, subject: ["reference": "Patient/\(p.lowercased())"], effective: "2026-10-25", identifier: "i"))
            #expect(dateOnly.status == .created, "\(dateOnly.text)")
            #expect(dateOnly.object["effectiveDateTime"] as? String == "2026-10-24T22:00:00Z")
            events["i"] = dateOnly.object["id"] as? String

            for (query, expected) in Self.dateQueries {
                let reply = try await client.request(.get, "/fhir/Observation?patient=\(world.patient)&\(query)", token: world.nurse)
                #expect(reply.status == .ok, "\(query): \(reply.text)")
                #expect(Set(Self.ids(reply)) == Set(expected.map { events[String($0)] ?? "?" }), "\(query)")
                #expect(reply.object["total"] as? Int == expected.count, "\(query)")
            }
        }
    }

    @Test("from and to of the native routes take dates too: the whole day, month or year in Oslo time")
    func nativeWindows() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.bind("OX-OLD", to: world.patient, since: Self.date("2026-01-01T00:00:00Z"))
            let p = world.patient.uuidString
            _ = try await client.ingestPost(
                world,
                Self.edges.map { id, at in
                    ["id": id, "patientId": p, "measuredAt": at, "kind": "spo2", "unit": "%", "value": 96] as [String: Any]
                })
            func times(_ query: String) async throws -> [String] {
                try await client.ingestReadings(world.patient, token: world.nurse, query: "?" + query).compactMap {
                    $0["measuredAt"] as? String
                }
            }
            #expect(try await times("from=2026-10-25&to=2026-10-25") == ["2026-10-24T22:00:00.000Z", "2026-10-25T22:59:59.999Z"])
            #expect(try await times("from=2026-10&to=2026-10").count == 6)
            #expect(try await times("to=2026-09-30") == ["2026-09-30T21:59:59.999Z"])
            #expect(try await times("from=\(Self.encoded("2026-10-31T23:00:00Z"))") == ["2026-10-31T23:00:00.000Z"])
            #expect(try await times("to=\(Self.encoded("2026-09-30T22:00:00Z"))").count == 2)  // an instant: inclusive
            let bad = try await client.request(.get, "/v1/patients/\(world.patient)/readings?from=2026-10-25T08:00", token: world.nurse)
            #expect(bad.status == .unprocessableContent)
        }
    }

    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test("bad searches are OperationOutcomes")
    func badSearches() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            for (query, status) in [
                ("", 400), ("?patient=Patient/nope", 400), ("?patient=\(world.patient)&code=1234-5", 400),
                ("?patient=\(world.patient)&date=ge2024-13", 400), ("?patient=\(world.patient)&date=ap2024", 400),
                ("?patient=\(world.patient)&date=xx2024-01-01", 400), ("?patient=\(world.patient)&date=2024-01-01T08:00:00", 400),
                ("?patient=\(world.patient)&date=ge2024&date=yesterday", 400), ("?patient=\(UUID())", 404),
            ] {
                let reply = try await client.request(.get, "/fhir/Observation\(query)", token: world.nurse)
                #expect(Int(reply.status.code) == status, "\(query): \(reply.text)")
                #expect(reply.headers[.contentType] == "application/fhir+json")
                #expect(reply.object["resourceType"] as? String == "OperationOutcome")
                if query.contains("date=") {
                    let issue = (reply.object["issue"] as? [[String: Any]])?.first
                    #expect((issue?["diagnostics"] as? String)?.contains("date parameter") == true, "\(reply.text)")
                }
            }
        }
    }
}
