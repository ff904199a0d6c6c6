import Foundation
import Testing

/// Helpers shared by the ingest suites (names prefixed so they do not clash
/// with other suites' helpers).
extension Client {
    /// `POST /v1/readings` as the world's gateway; the per-item results.
    func ingestPost(_ world: World, _ readings: [[String: Any]]) async throws -> (Reply, [[String: Any]]) {
        let reply = try await request(.post, "/v1/readings", token: world.gatewayKey, json: ["readings": readings])
        return (reply, reply.object["results"] as? [[String: Any]] ?? [])
    }

    /// The patient's stored readings through `GET /v1/patients/{id}/readings`.
    func ingestReadings(_ patient: UUID, token: String, query: String = "") async throws -> [[String: Any]] {
        let reply = try await request(.get, "/v1/patients/\(patient)/readings\(query)", token: token)
        guard reply.status == .ok else { throw SeedError("readings: \(reply.status) \(reply.text)") }
        return reply.object["readings"] as? [[String: Any]] ?? []
    }

    /// Events in the log, optionally of one type.
    func ingestEventCount(type: String? = nil) async throws -> Int {
        try await database.withConnection { c in
            let r = try c.query("SELECT count(*) FROM events WHERE ($1::text IS NULL OR type = $1)", [type])
            return Int(r.int(0, 0) ?? -1)
        }
    }
}

func ingestSpO2(_ id: String, _ value: Double, at offset: TimeInterval = 1, serial: String = "OX-1") -> [String: Any] {
    ["id": id, "deviceSerial": serial, "measuredAt": World.time(offset), "kind": "spo2", "unit": "%", "value": value]
}

@Suite("HTTP: POST /v1/readings")
struct IngestTests {
    @Test("every kind is created, results keep request order, values are stored canonical")
    func everyKind() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let p = world.patient.uuidString
            let (reply, results) = try await client.ingestPost(
                world,
                [
                    ["id": "t", "patientId": p, "measuredAt": World.time(5), "kind": "temperature", "unit": "Cel", "value": 37.2],
                    [
                        "id": "bp", "patientId": p, "measuredAt": World.time(4), "kind": "bloodPressure", "unit": "mm[Hg]",
                        "systolic": 128, "diastolic": 82, "pulse": 71,
                    ],
                    ingestSpO2("s", 96, at: 3),
                    ["id": "w", "patientId": p, "measuredAt": World.time(2), "kind": "weight", "unit": "kg", "value": 81.4],
                    ["id": "p", "patientId": p, "measuredAt": World.time(1), "kind": "pulse", "unit": "/min", "value": 64],
                ])
            #expect(reply.status == .ok)
            #expect(results.map { $0["id"] as? String } == ["t", "bp", "s", "w", "p"])
            #expect(results.allSatisfy { $0["status"] as? String == "created" && $0["eventId"] is String && $0["error"] == nil })
            let stored = try await client.ingestReadings(world.patient, token: world.nurse)
            #expect(stored.map { $0["kind"] as? String } == ["pulse", "weight", "spo2", "bloodPressure", "temperature"])
            let bp = try #require(stored.first { $0["kind"] as? String == "bloodPressure" }?["value"] as? [String: Any])
            #expect(bp["systolic"] as? Double == 128 && bp["diastolic"] as? Double == 82 && bp["pulse"] as? Double == 71)
            #expect(stored.first { $0["kind"] as? String == "bloodPressure" }?["eventId"] as? String == results[1]["eventId"] as? String)
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 5)
        }
    }

    @Test("a batch with good and bad items stores only the good ones, in order")
    func mixedBatch() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let before = try await client.ingestEventCount(type: "ReadingRecorded")
            let (reply, results) = try await client.ingestPost(
                world,
                [
                    ingestSpO2("ok-1", 97),
                    [
                        "id": "bad-bp", "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "bloodPressure", "unit": "mm[Hg]",
                        "systolic": 120, "diastolic": 130,
                    ],
                    ingestSpO2("bad-spo2", 101),
                    ingestSpO2("ok-2", 95, at: 2),
                ])
            #expect(reply.status == .ok)
            #expect(results.map { $0["status"] as? String } == ["created", "rejected", "rejected", "created"])
            let bpError = try #require(results[1]["error"] as? [String: Any])
            #expect(bpError["status"] as? Int == 422)
            #expect(bpError["pointer"] as? String == "/readings/1/diastolic")
            let spo2Error = try #require(results[2]["error"] as? [String: Any])
            #expect(spo2Error["pointer"] as? String == "/readings/2/value")
            #expect((spo2Error["detail"] as? String)?.contains("100") == true)
            #expect(results[1]["eventId"] == nil)
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == before + 2)
        }
    }

    @Test("the same batch twice: second all duplicate with the same event ids, nothing stored again")
    func retriedBatch() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let batch = [ingestSpO2("r-1", 96), ingestSpO2("r-2", 95, at: 2), ingestSpO2("r-3", 94, at: 3)]
            let (_, first) = try await client.ingestPost(world, batch)
            let count = try await client.ingestEventCount()
            let (again, second) = try await client.ingestPost(world, batch)
            #expect(again.status == .ok)
            #expect(first.map { $0["status"] as? String } == ["created", "created", "created"])
            #expect(second.map { $0["status"] as? String } == ["duplicate", "duplicate", "duplicate"])
            #expect(second.map { $0["eventId"] as? String } == first.map { $0["eventId"] as? String })
            #expect(try await client.ingestEventCount() == count)
        }
    }

    @Test("the same reading id twice in one batch is stored once")
    func repeatedInBatch() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let item = ingestSpO2("same", 96)
            let (_, results) = try await client.ingestPost(world, [item, item])
            #expect(results.map { $0["status"] as? String } == ["created", "duplicate"])
            #expect(results[0]["eventId"] as? String == results[1]["eventId"] as? String)
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 1)
        }
    }

    @Test("concurrent identical requests store the readings once (also when they raise alerts)", arguments: [96.0, 84.0])
    func concurrentRetries(_ value: Double) async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let batch = [ingestSpO2("c-1", value), ingestSpO2("c-2", 93, at: 2)]
            let raw = String(decoding: try JSONSerialization.data(withJSONObject: ["readings": batch]), as: UTF8.self)
            let key = world.gatewayKey
            let bodies = try await withThrowingTaskGroup(of: Client.Reply.self) { group in
                for _ in 0..<6 { group.addTask { try await client.request(.post, "/v1/readings", token: key, raw: raw) } }
                var all: [Client.Reply] = []
                for try await r in group { all.append(r) }
                return all
            }
            #expect(bodies.allSatisfy { $0.status == .ok }, "\(bodies.map { "\($0.status.code) \($0.text.prefix(120))" })")
            let replies = bodies.map { $0.object["results"] as? [[String: Any]] ?? [] }
            #expect(replies.count == 6)
            let ids = Set(replies.flatMap { $0.compactMap { $0["eventId"] as? String } })
            #expect(ids.count == 2)
            #expect(replies.allSatisfy { $0.count == 2 && $0.allSatisfy { ["created", "duplicate"].contains($0["status"] as? String) } })
            #expect(replies.flatMap { $0 }.filter { $0["status"] as? String == "created" }.count == 2)
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 2)
        }
    }

    @Test("void: the reading stays, marked void; voiding twice is 409")
    func void() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let (_, results) = try await client.ingestPost(world, [ingestSpO2("v-1", 96)])
            let id = try #require(results.first?["eventId"] as? String)
            let void = try await client.request(.post, "/v1/readings/\(id)/void", token: world.nurse, json: ["reason": "feil pasient"])
            #expect(void.status == .ok)
            #expect(void.object["status"] as? String == "voided")
            let stored = try await client.ingestReadings(world.patient, token: world.nurse)
            #expect(stored.count == 1)
            #expect(stored.first?["voided"] as? Bool == true)
            #expect(try await client.ingestEventCount(type: "ReadingRecorded") == 1)
            #expect(try await client.ingestEventCount(type: "ReadingVoided") == 1)
            let again = try await client.request(.post, "/v1/readings/\(id)/void", token: world.nurse, json: ["reason": "igjen"])
            #expect(again.status == .conflict)
            #expect(again.headers[.contentType] == "application/problem+json")
            #expect(try await client.ingestEventCount(type: "ReadingVoided") == 1)
            let unknown = try await client.request(.post, "/v1/readings/\(UUID())/void", token: world.nurse, json: ["reason": "x"])
            #expect(unknown.status == .notFound)
        }
    }

    @Test("GET readings filters by kind and by measured time")
    func readingsQuery() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let p = world.patient.uuidString
            _ = try await client.ingestPost(
                world,
                [
                    ingestSpO2("a", 96, at: 10), ingestSpO2("b", 95, at: 20), ingestSpO2("c", 94, at: 30),
                    ["id": "d", "patientId": p, "measuredAt": World.time(20), "kind": "pulse", "unit": "/min", "value": 70],
                ])
            #expect(try await client.ingestReadings(world.patient, token: world.nurse).count == 4)
            #expect(try await client.ingestReadings(world.patient, token: world.nurse, query: "?kind=pulse").count == 1)
            let from = World.time(15).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let to = World.time(25).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let window = try await client.ingestReadings(world.patient, token: world.nurse, query: "?kind=spo2&from=\(from)&to=\(to)")
            #expect(window.count == 1)
            #expect((window.first?["value"] as? [String: Any])?["value"] as? Double == 95)
            let bad = try await client.request(.get, "/v1/patients/\(world.patient)/readings?kind=glucose", token: world.nurse)
            #expect(bad.status == .unprocessableContent)
        }
    }
}

@Suite("HTTP: responses echo what was sent")
struct EchoTests {
    /// Ids the server makes are lower case where they are encoded; text a
    /// gateway sent that happens to look like a UUID comes back as sent.
    @Test("an upper-case UUID-shaped reading id and device serial come back unchanged; server ids are lower case")
    func upperCaseTextIsKept() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let serial = "6BA7B810-9DAD-11D1-80B4-00C04FD430C8"
            let readingID = "F47AC10B-58CC-4372-A567-0E02B2C3D479"
            try await client.bind(serial, to: world.patient, clinician: world.clinician)
            let (reply, results) = try await client.ingestPost(world, [ingestSpO2(readingID, 96, serial: serial)])
            #expect(reply.status == .ok)
            #expect(results.first?["id"] as? String == readingID)
            let eventID = try #require(results.first?["eventId"] as? String)
            #expect(eventID == eventID.lowercased())
            let stored = try await client.ingestReadings(world.patient, token: world.nurse)
            #expect(stored.first?["deviceSerial"] as? String == serial)
            let view = try await client.request(.get, "/v1/patients/\(world.patient)", token: world.nurse).object
            #expect((view["devices"] as? [[String: Any]])?.contains { $0["serial"] as? String == serial } == true)
            #expect(view["id"] as? String == world.patient.uuidString.lowercased())
            let teams = try #require(view["teams"] as? [String: Any])
            #expect((teams["kommune"] as? String).map { $0 == $0.lowercased() } == true)
        }
    }
}
