import Foundation
import Testing

@Suite("HTTP: teams, patients and devices")
struct PatientEndpointTests {
    @Test("POST /v1/teams creates kommune and sykehus teams")
    func teams() async throws {
        try await TestApp.run { client in
            let admin = try TestApp.token(.admin)
            let k = try await client.request(
                .post, "/v1/teams", token: admin, json: ["name": "Trondheim", "kind": "kommune", "kommunenummer": "5001"])
            #expect(k.status == .created)
            #expect(k.object["kind"] as? String == "kommune")
            #expect(k.object["kommunenummer"] as? String == "5001")
            let id = try #require(k.object["id"] as? String)
            #expect(UUID(uuidString: id) != nil)
            #expect(k.headers[.location] == "/v1/teams/\(id)")
            let s = try await client.request(
                .post, "/v1/teams", token: admin,
                json: ["name": "Lungeklinikken", "kind": "sykehus", "healthTrust": "St. Olavs hospital HF"])
            #expect(s.status == .created)
            #expect(s.object["healthTrust"] as? String == "St. Olavs hospital HF")
            let bad = try await client.request(
                .post, "/v1/teams", token: admin, json: ["name": "X", "kind": "kommune", "kommunenummer": "301"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.headers[.contentType] == "application/problem+json")
            let noTrust = try await client.request(.post, "/v1/teams", token: admin, json: ["name": "Hjerteklinikken", "kind": "sykehus"])
            #expect(noTrust.status == .unprocessableContent)
            #expect((noTrust.object["errors"] as? [[String: Any]])?.compactMap { $0["pointer"] as? String } == ["/healthTrust"])
            #expect(try await client.ingestEventCount(type: "TeamCreated") == 2)
            // The Location answers: for admins, and for the team's own staff only.
            let read = try await client.request(.get, "/v1/teams/\(id)", token: admin)
            #expect(read.status == .ok)
            #expect(read.object["name"] as? String == "Trondheim" && read.object["kommunenummer"] as? String == "5001")
            let team = try #require(UUID(uuidString: id))
            #expect(try await client.request(.get, "/v1/teams/\(id)", token: try TestApp.token(.nurse, teams: [team])).status == .ok)
            #expect(
                try await client.request(.get, "/v1/teams/\(id)", token: try TestApp.token(.nurse, teams: [UUID()])).status == .notFound)
            #expect(try await client.request(.get, "/v1/teams/\(UUID())", token: admin).status == .notFound)
        }
    }

    @Test("enrol (201, view shape), read, and search by national id in the body")
    func enrolReadSearch() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let reply = try await client.request(
                .post, "/v1/patients", token: world.clinician,
                json: [
                    "nationalId": World.nationalIDs[1], "kommunenummer": "5001", "program": "hjertesvikt",
                    "teams": ["kommune": world.kommune.uuidString, "sykehus": world.sykehus.uuidString],
                ])
            #expect(reply.status == .created)
            let id = try #require((reply.object["id"] as? String).flatMap(UUID.init(uuidString:)))
            #expect(reply.object["program"] as? String == "hjertesvikt")
            #expect(reply.object["kommunenummer"] as? String == "5001")
            #expect(reply.object["enrolledAt"] is String)
            let teams = reply.object["teams"] as? [String: Any]
            #expect(teams?["kommune"] as? String == world.kommune.uuidString.lowercased())
            #expect(teams?["sykehus"] as? String == world.sykehus.uuidString.lowercased())
            #expect(reply.object["thresholds"] is [String: Any])

            let read = try await client.request(.get, "/v1/patients/\(id)", token: world.nurse)
            #expect(read.status == .ok)
            #expect(read.object["id"] as? String == id.uuidString.lowercased())

            let search = try await client.request(
                .post, "/v1/patients/search", token: world.nurse, json: ["nationalId": World.nationalIDs[1]])
            #expect(search.status == .ok)
            let found = search.object["patients"] as? [[String: Any]] ?? []
            #expect(found.map { $0["id"] as? String } == [id.uuidString.lowercased()])
            let none = try await client.request(
                .post, "/v1/patients/search", token: world.nurse, json: ["nationalId": World.nationalIDs[3]])
            #expect((none.object["patients"] as? [Any])?.isEmpty == true)

            let unknown = try await client.request(.get, "/v1/patients/\(UUID())", token: world.nurse)
            #expect(unknown.status == .notFound)
            #expect(unknown.headers[.contentType] == "application/problem+json")
        }
    }

    @Test("valid fødselsnummer, D-nummer and synthetic numbers are accepted", arguments: ["29100207042", "43022014103", "10915596784"])
    func validNationalIDs(_ nationalID: String) async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let id = try await client.enroll(nationalID: nationalID, kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            let read = try await client.request(.get, "/v1/patients/\(id)", token: world.nurse)
            #expect(read.status == .ok)
        }
    }

    @Test(
        "invalid national ids are 422 at /nationalId and the number never appears in the answer",
        arguments: ["12345678910", "31129956716", "3112995671", "3112995671a"])
    func invalidNationalIDs(_ nationalID: String) async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let before = try await client.ingestEventCount()
            for (path, body) in [
                (
                    "/v1/patients",
                    [
                        "nationalId": nationalID, "kommunenummer": "5001", "program": "kols",
                        "teams": ["kommune": world.kommune.uuidString],
                    ] as [String: Any]
                ),
                ("/v1/patients/search", ["nationalId": nationalID]),
            ] {
                let reply = try await client.request(.post, path, token: world.clinician, json: body)
                #expect(reply.status == .unprocessableContent)
                #expect(reply.headers[.contentType] == "application/problem+json")
                let errors = reply.object["errors"] as? [[String: Any]]
                #expect(errors?.first?["pointer"] as? String == "/nationalId")
                #expect(!reply.text.contains(nationalID))
            }
            #expect(try await client.ingestEventCount() == before)
        }
    }

    @Test("enrolling the same fødselsnummer twice is 409 and stores nothing")
    func duplicateEnrolment() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let before = try await client.ingestEventCount()
            let reply = try await client.request(
                .post, "/v1/patients", token: world.clinician,
                json: [
                    "nationalId": World.nationalIDs[0], "kommunenummer": "5001", "program": "kols",
                    "teams": ["kommune": world.kommune.uuidString],
                ])
            #expect(reply.status == .conflict)
            #expect(reply.headers[.contentType] == "application/problem+json")
            #expect(!reply.text.contains(World.nationalIDs[0]))
            #expect(try await client.ingestEventCount() == before)
        }
    }

    @Test("bind, unbind and rebind a device to another patient; bound elsewhere is 409; unknown is 404")
    func devices() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let b = try await client.enroll(
                nationalID: World.nationalIDs[1], kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            let bind = try await client.request(
                .post, "/v1/patients/\(world.patient)/devices", token: world.clinician,
                json: ["serial": "BP-9", "kind": "bloodPressureMonitor"])
            #expect(bind.status == .created)
            #expect((bind.object["devices"] as? [[String: Any]])?.contains { $0["serial"] as? String == "BP-9" } == true)
            let elsewhere = try await client.request(
                .post, "/v1/patients/\(b)/devices", token: world.clinician,
                json: ["serial": "BP-9", "kind": "bloodPressureMonitor"])
            #expect(elsewhere.status == .conflict)
            #expect(elsewhere.headers[.contentType] == "application/problem+json")
            let twice = try await client.request(
                .post, "/v1/patients/\(world.patient)/devices", token: world.clinician,
                json: ["serial": "BP-9", "kind": "bloodPressureMonitor"])
            #expect(twice.status == .conflict)
            let unbind = try await client.request(.delete, "/v1/patients/\(world.patient)/devices/BP-9", token: world.clinician)
            #expect(unbind.status == .noContent)
            let unknown = try await client.request(.delete, "/v1/patients/\(world.patient)/devices/NOPE", token: world.clinician)
            #expect(unknown.status == .notFound)
            let rebind = try await client.request(
                .post, "/v1/patients/\(b)/devices", token: world.clinician,
                json: ["serial": "BP-9", "kind": "bloodPressureMonitor"])
            #expect(rebind.status == .created)
            let noPatient = try await client.request(
                .post, "/v1/patients/\(UUID())/devices", token: world.clinician,
                json: ["serial": "BP-10", "kind": "scale"])
            #expect(noPatient.status == .notFound)
            #expect(try await client.ingestEventCount(type: "DeviceBound") == 3)
            #expect(try await client.ingestEventCount(type: "DeviceUnbound") == 1)
        }
    }

    @Test("concurrent binds of one device to four patients: exactly one wins, the others get 409; a patient out of reach is 404 first")
    func concurrentBinds() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            var patients = [world.patient]
            for nationalID in World.nationalIDs.dropFirst() {
                patients.append(
                    try await client.enroll(nationalID: nationalID, kommune: world.kommune, sykehus: nil, clinician: world.clinician))
            }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for patient in patients {
                    group.addTask {
                        try await client.request(
                            .post, "/v1/patients/\(patient)/devices", token: world.clinician,
                            json: ["serial": "BP-RACE", "kind": "bloodPressureMonitor"]
                        ).status.code
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [201, 409, 409, 409])
            let bound = try await client.database.withConnection { c in
                try c.query("SELECT count(*) FROM events WHERE type = 'DeviceBound' AND data->>'serial' = 'BP-RACE'").int(0, 0)
            }
            #expect(bound == 1)
            // A clinician of another kommune learns nothing about the patient or the device.
            let hidden = try await client.request(
                .post, "/v1/patients/\(patients[1])/devices", token: world.otherClinician,
                json: ["serial": "BP-RACE", "kind": "bloodPressureMonitor"])
            #expect(hidden.status == .notFound)
        }
    }

    @Test("discharge unbinds devices; readings after it are rejected; discharging again is 409")
    func discharge() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let reply = try await client.request(
                .post, "/v1/patients/\(world.patient)/discharge", token: world.clinician, json: ["reason": "avsluttet"])
            #expect(reply.status == .ok)
            #expect(reply.object["id"] as? String == world.patient.uuidString.lowercased())
            #expect(reply.object["dischargedAt"] is String)
            #expect(try await client.ingestEventCount(type: "PatientDischarged") == 1)
            #expect(try await client.ingestEventCount(type: "DeviceUnbound") == 1)
            let (_, results) = try await client.ingestPost(world, [ingestSpO2("after", 95, at: 2)])
            #expect(results.first?["status"] as? String == "rejected")
            let again = try await client.request(.post, "/v1/patients/\(world.patient)/discharge", token: world.clinician, json: [:])
            #expect(again.status == .conflict)
        }
    }
}
