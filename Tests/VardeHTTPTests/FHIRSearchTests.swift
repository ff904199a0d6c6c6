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
            let other = try await client.enroll(nationalID: World.nationalIDs[1], kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            try await client.bind("OX-9", to: other, clinician: world.clinician)
            let p = world.patient.uuidString
            let (_, results) = try await client.ingestPost(world, [
                ingestSpO2("s1", 96, at: 10), ingestSpO2("s2", 95, at: 20), ingestSpO2("s3", 94, at: 30),
                ["id": "p1", "patientId": p, "measuredAt": World.time(20), "kind": "pulse", "unit": "/min", "value": 70],
                ["id": "bp", "patientId": p, "measuredAt": World.time(25), "kind": "bloodPressure", "unit": "mm[Hg]",
                 "systolic": 130, "diastolic": 85, "pulse": 66],
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

            let spo2Only = try await client.request(.get, "/fhir/Observation?patient=\(patient)&code=\(Self.encoded("http://loinc.org|59408-5"))",
                                                    token: world.nurse)
            #expect(Self.ids(spo2Only) == Array(event[0..<3]))
            let bareCode = try await client.request(.get, "/fhir/Observation?patient=\(world.patient)&code=85354-9", token: world.nurse)
            #expect(Self.ids(bareCode) == [event[4]])
            let components = ((bareCode.object["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any])?["component"] as? [[String: Any]]
            #expect(components?.count == 3)

            let ge = Self.encoded(World.time(15)), le = Self.encoded(World.time(25))
            let window = try await client.request(.get, "/fhir/Observation?patient=\(patient)&code=59408-5&date=ge\(ge)&date=le\(le)",
                                                  token: world.nurse)
            #expect(Self.ids(window) == [event[1]])
            let after = try await client.request(.get, "/fhir/Observation?patient=\(patient)&date=gt\(Self.encoded(World.time(22)))",
                                                 token: world.nurse)
            #expect(Set(Self.ids(after)) == [event[2], event[4]])

            let otherPatient = try await client.request(.get, "/fhir/Observation?patient=Patient/\(other.uuidString.lowercased())", token: world.nurse)
            #expect(Self.ids(otherPatient) == [event[5]])
        }
    }

    @Test("bad searches are OperationOutcomes")
    func badSearches() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            for (query, status) in [
                ("", 400), ("?patient=Patient/nope", 400), ("?patient=\(world.patient)&code=1234-5", 400),
                ("?patient=\(world.patient)&date=ge2024", 400), ("?patient=\(UUID())", 404),
            ] {
                let reply = try await client.request(.get, "/fhir/Observation\(query)", token: world.nurse)
                #expect(Int(reply.status.code) == status, "\(query): \(reply.text)")
                #expect(reply.headers[.contentType] == "application/fhir+json")
                #expect(reply.object["resourceType"] as? String == "OperationOutcome")
            }
        }
    }
}
