import Foundation
import HTTPTypes
import Testing
import VardeCore
import VardeStore

@testable import VardeHTTP

/// Group commit in the ingest pipeline: requests recorded together stay
/// apart in everything but the transaction.
@Suite("Ingest: requests recorded together")
struct IngestGroupTests {
    private static func spo2(_ id: String, _ value: Double) -> Result<ReadingSubmission, IngestError> {
        ReadingController.submission(
            ReadingController.Item(
                id: id, deviceSerial: "OX-1", measuredAt: World.time(1), kind: "spo2", unit: "%", value: value))
    }

    private static func gateway(_ id: UUID, serving teams: [UUID]) -> Caller {
        Caller(subject: "gateway:\(id.lowercasedText)", role: .gateway, teams: teams, gatewayID: id)
    }

    @Test(
        "three requests from two gateways in one run: one transaction; each event, access-log entry and answer belongs to its own request")
    func recordedTogether() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let other = try await client.createGateway(admin: world.admin, teams: [world.kommune])
            let store = EventStore(database: client.database)
            let services = AppServices(
                database: client.database, store: store, patients: PatientRepository(store: store), projected: Watermark(),
                configuration: TestApp.configuration, verifier: nil)
            let requests = [
                IngestRequest(
                    items: [Self.spo2("g1-a", 96), Self.spo2("g1-bad", 150)], caller: Self.gateway(world.gateway, serving: [world.kommune]),
                    requestID: "req-1", route: "POST /v1/readings", receivedAt: Date()),
                IngestRequest(
                    items: [Self.spo2("g2-a", 95)], caller: Self.gateway(other.id, serving: [world.kommune]),
                    requestID: "req-2", route: "POST /v1/readings", receivedAt: Date()),
                IngestRequest(
                    items: [Self.spo2("g1-a", 96)], caller: Self.gateway(world.gateway, serving: [world.kommune]),
                    requestID: "req-3", route: "POST /fhir", receivedAt: Date()),
            ]
            let recorded = try await Ingest(services: services).record(requests, allOrNothing: false)

            guard case .created(let first) = recorded[0].results[0], case .created(let second) = recorded[1].results[0] else {
                Issue.record("not created: \(recorded)")
                return
            }
            guard case .rejected(let bad) = recorded[0].results[1] else {
                Issue.record("\(recorded[0])")
                return
            }
            #expect(bad.status == 422 && bad.pointer == "/value")
            #expect(recorded[2].results == [.duplicate(eventID: first)], "the same gateway's retry in the same run")
            // The duplicate, decided against the first request's reading in the
            // same transaction, is readable from the same position on.
            #expect(
                recorded[0].position > 0 && recorded[1].position == recorded[0].position
                    && recorded[2].position == recorded[0].position)

            let rows = try await client.database.withConnection { c in
                try c.query(
                    """
                    SELECT event_id, metadata->>'requestID', metadata->>'gateway', xmin::text FROM events
                    WHERE type = 'ReadingRecorded' ORDER BY position
                    """)
            }
            #expect(rows.rowCount == 2)
            #expect((0..<rows.rowCount).map { UUID(uuidString: rows.string($0, 0)!) } == [first, second])
            #expect(rows.string(0, 1) == "req-1" && rows.string(0, 2)?.lowercased() == world.gateway.lowercasedText)
            #expect(rows.string(1, 1) == "req-2" && rows.string(1, 2)?.lowercased() == other.id.lowercasedText)
            #expect(rows.string(0, 3) == rows.string(1, 3), "one transaction")

            let log = try await client.database.withConnection { c in
                try c.query(
                    """
                    SELECT request_id, subject, route FROM access_log
                    WHERE request_id IN ('req-1', 'req-2', 'req-3') AND patient_id = $1 ORDER BY request_id
                    """, [world.patient.lowercasedText])
            }
            #expect((0..<log.rowCount).map { log.string($0, 0)! } == ["req-1", "req-2", "req-3"])
            #expect(log.string(1, 1) == "gateway:\(other.id.lowercasedText)" && log.string(2, 2) == "POST /fhir")
        }
    }

    @Test("concurrent single readings through the group commit: all stored once, each under the request id its response names")
    func concurrentSingles() async throws {
        try await TestApp.run(configure: { $0.ingestLanes = 1 }) { client in
            let world = try await World.make(client)
            let replies = try await withThrowingTaskGroup(of: (String, Client.Reply).self) { group in
                for n in 0..<24 {
                    group.addTask {
                        let id = "c-\(n)"
                        let reply = try await client.request(
                            .post, "/v1/readings", token: world.gatewayKey,
                            json: ["readings": [ingestSpO2(id, 90 + Double(n % 8), at: Double(n % 5) + 1)]])
                        return (id, reply)
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(replies.count == 24)
            var expected: [String: String] = [:]
            for (id, reply) in replies {
                let result = (reply.object["results"] as? [[String: Any]])?.first
                #expect(reply.status == .ok && result?["status"] as? String == "created", "\(id): \(reply.text)")
                expected[(result?["eventId"] as? String ?? "").lowercased()] = reply.headers[HTTPField.Name("X-Request-Id")!]
            }
            let rows = try await client.database.withConnection { c in
                try c.query("SELECT event_id, metadata->>'requestID' FROM events WHERE type = 'ReadingRecorded'")
            }
            let stored = Dictionary(uniqueKeysWithValues: (0..<rows.rowCount).map { (rows.string($0, 0)!, rows.string($0, 1)!) })
            #expect(stored == expected)
            let views = try await client.ingestReadings(world.patient, token: world.nurse)
            #expect(views.count == 24, "answered only once readable")
        }
    }
}
