import Foundation
import Hummingbird
import Testing

@Suite("HTTP: ingest error classes as application/problem+json")
struct IngestErrorTests {
    /// Checks the RFC 9457 members and the media type; returns the body.
    static func problem(_ reply: Client.Reply, _ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation) -> [String:
        Any]
    {
        #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
        #expect((reply.object["type"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect((reply.object["title"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(reply.object["status"] as? Int == Int(status.code), sourceLocation: sourceLocation)
        return reply.object
    }

    static func pointers(_ body: [String: Any]) -> [String] {
        (body["errors"] as? [[String: Any]] ?? []).compactMap { $0["pointer"] as? String }
    }

    @Test("400 for malformed JSON, and for the wrong shape with a JSON pointer")
    func malformed() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let before = try await client.ingestEventCount()
            _ = Self.problem(
                try await client.request(.post, "/v1/readings", token: world.gatewayKey, raw: #"{"readings": [ {"id": "#), .badRequest)
            let notArray = Self.problem(
                try await client.request(.post, "/v1/readings", token: world.gatewayKey, json: ["readings": 5]), .badRequest)
            #expect(Self.pointers(notArray) == ["/readings"])
            let wrongType = Self.problem(
                try await client.request(
                    .post, "/v1/readings", token: world.gatewayKey,
                    json: [
                        "readings": [
                            ["id": "a", "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 96],
                            ["id": "b", "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": "high"],
                        ]
                    ]), .badRequest)
            #expect(Self.pointers(wrongType) == ["/readings/1/value"])
            let missing = Self.problem(
                try await client.request(.post, "/v1/patients", token: world.clinician, json: ["kommunenummer": "5001"]), .badRequest)
            #expect(Self.pointers(missing).count == 1)
            _ = Self.problem(try await client.request(.post, "/v1/patients", token: world.clinician, raw: "nope"), .badRequest)
            #expect(try await client.ingestEventCount() == before)
        }
    }

    /// Issue 15, defect 5: 2026-02-31 was read as 3 March and then refused as
    /// "device not bound"; an impossible date is a 422 at the field.
    @Test("an impossible date is 422 at measuredAt, not a reading of another day")
    func impossibleDate() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let (reply, results) = try await client.ingestPost(
                world,
                [
                    ["id": "feb31", "deviceSerial": "OX-1", "measuredAt": "2026-02-31T10:00:00Z", "kind": "spo2", "unit": "%", "value": 96]
                ])
            #expect(reply.status == .ok)
            #expect(results.first?["status"] as? String == "rejected")
            let error = try #require(results.first?["error"] as? [String: Any])
            #expect(error["status"] as? Int == 422)
            #expect(error["pointer"] as? String == "/readings/0/measuredAt")
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 0)
        }
    }

    @Test("413 for a body over 4 MiB")
    func tooLarge() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let padding = String(repeating: "x", count: 4 * 1024 * 1024 + 10)
            let raw = #"{"readings": [], "padding": ""# + padding + #""}"#
            _ = Self.problem(try await client.request(.post, "/v1/readings", token: world.gatewayKey, raw: raw), .contentTooLarge)
            _ = Self.problem(try await client.request(.post, "/v1/patients", token: world.clinician, raw: raw), .contentTooLarge)
        }
    }

    @Test("415 for a wrong media type")
    func mediaType() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let json = #"{"readings": []}"#
            _ = Self.problem(
                try await client.request(.post, "/v1/readings", token: world.gatewayKey, raw: json, contentType: "text/plain"),
                .unsupportedMediaType)
            _ = Self.problem(
                try await client.request(.post, "/v1/readings", token: world.gatewayKey, raw: json, contentType: "application/xml"),
                .unsupportedMediaType)
            _ = Self.problem(try await client.request(.post, "/v1/readings", token: world.gatewayKey), .unsupportedMediaType)
            let charset = try await client.request(
                .post, "/v1/readings", token: world.gatewayKey,
                raw: #"{"readings": []}"#, contentType: "application/json; charset=utf-8")
            #expect(charset.status != .unsupportedMediaType)
        }
    }

    @Test("422 for invalid values with a pointer; empty and oversized batches")
    func invalidValues() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let empty = Self.problem(
                try await client.request(.post, "/v1/readings", token: world.gatewayKey, json: ["readings": []]), .unprocessableContent)
            #expect(Self.pointers(empty) == ["/readings"])
            let many = (0..<1001).map { ingestSpO2("m-\($0)", 95) }
            _ = Self.problem(
                try await client.request(.post, "/v1/readings", token: world.gatewayKey, json: ["readings": many]), .unprocessableContent)
            let program = Self.problem(
                try await client.request(
                    .post, "/v1/patients", token: world.clinician,
                    json: [
                        "nationalId": World.nationalIDs[1], "kommunenummer": "5001", "program": "diabetes",
                        "teams": ["kommune": world.kommune.uuidString],
                    ]), .unprocessableContent)
            #expect(Self.pointers(program) == ["/program"])
            let kommune = Self.problem(
                try await client.request(
                    .post, "/v1/patients", token: world.clinician,
                    json: [
                        "nationalId": World.nationalIDs[1], "kommunenummer": "05001", "program": "kols",
                        "teams": ["kommune": world.kommune.uuidString],
                    ]), .unprocessableContent)
            #expect(Self.pointers(kommune) == ["/kommunenummer"])
            let reason = Self.problem(
                try await client.request(.post, "/v1/readings/\(UUID())/void", token: world.nurse, json: ["reason": " "]),
                .unprocessableContent)
            #expect(Self.pointers(reason) == ["/reason"])

            // Per item: each bad field is named, and no event is written for it.
            let before = try await client.ingestEventCount()
            let p = world.patient.uuidString
            let (reply, results) = try await client.ingestPost(
                world,
                [
                    ["id": "1", "patientId": p, "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 96, "systolic": 120],
                    [
                        "id": "2", "patientId": p, "measuredAt": World.time(1), "kind": "bloodPressure", "unit": "mm[Hg]", "systolic": 120,
                        "diastolic": 210,
                    ],
                    ["id": "3", "patientId": p, "measuredAt": "yesterday", "kind": "spo2", "unit": "%", "value": 96],
                    ["id": "4", "patientId": p, "measuredAt": World.time(1), "kind": "glucose", "unit": "mmol/L", "value": 6],
                    ["id": "5", "patientId": "not-a-uuid", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 96],
                    ["id": "6", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 96],
                    ["patientId": p, "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 96],
                    ["id": "8", "patientId": p, "measuredAt": World.time(1), "kind": "weight", "unit": "kg", "value": 401],
                    [
                        "id": "9", "patientId": p, "measuredAt": World.time(1), "kind": "bloodPressure", "unit": "mm[Hg]", "systolic": 120,
                        "diastolic": 80, "pulse": 300,
                    ],
                    ["id": "10", "patientId": p, "measuredAt": World.time(1), "kind": "temperature", "unit": "Cel", "value": 29.9],
                ])
            #expect(reply.status == .ok)
            #expect(results.allSatisfy { $0["status"] as? String == "rejected" && $0["eventId"] == nil })
            let errors = results.map { $0["error"] as? [String: Any] ?? [:] }
            #expect(errors.allSatisfy { $0["status"] as? Int == 422 })
            #expect(
                errors.map { $0["pointer"] as? String } == [
                    "/readings/0/systolic", "/readings/1/diastolic", "/readings/2/measuredAt", "/readings/3/kind", "/readings/4/patientId",
                    "/readings/5/patientId", "/readings/6/id", "/readings/7/value", "/readings/8/pulse", "/readings/9/value",
                ])
            #expect((errors[7]["detail"] as? String)?.contains("400") == true)
            #expect(try await client.ingestEventCount() == before)
        }
    }

    @Test("404 for an unknown patient or device, per item and for routes")
    func notFound() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let before = try await client.ingestEventCount()
            let (_, results) = try await client.ingestPost(
                world,
                [
                    ["id": "a", "patientId": UUID().uuidString, "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 96],
                    ["id": "b", "deviceSerial": "GHOST-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 96],
                ])
            #expect(results.map { ($0["error"] as? [String: Any])?["status"] as? Int } == [404, 404])
            #expect(
                results.map { ($0["error"] as? [String: Any])?["pointer"] as? String } == [
                    "/readings/0/patientId", "/readings/1/deviceSerial",
                ])
            _ = Self.problem(try await client.request(.get, "/v1/patients/\(UUID())", token: world.nurse), .notFound)
            _ = Self.problem(try await client.request(.get, "/v1/patients/\(UUID())/readings", token: world.nurse), .notFound)
            _ = Self.problem(
                try await client.request(.delete, "/v1/patients/\(world.patient)/devices/GHOST-1", token: world.clinician), .notFound)
            _ = Self.problem(
                try await client.request(.post, "/v1/patients/\(UUID())/discharge", token: world.clinician, json: [:]), .notFound)
            #expect(try await client.ingestEventCount() == before)
        }
    }

    @Test("409 conflicts leave no event behind")
    func conflicts() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let other = try await client.enroll(
                nationalID: World.nationalIDs[2], kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            let before = try await client.ingestEventCount()
            _ = Self.problem(
                try await client.request(
                    .post, "/v1/patients/\(other)/devices", token: world.clinician,
                    json: ["serial": "OX-1", "kind": "pulseOximeter"]), .conflict)
            _ = Self.problem(
                try await client.request(
                    .post, "/v1/patients", token: world.clinician,
                    json: [
                        "nationalId": World.nationalIDs[2], "kommunenummer": "5001", "program": "kols",
                        "teams": ["kommune": world.kommune.uuidString],
                    ]), .conflict)
            #expect(try await client.ingestEventCount() == before)
        }
    }
}
