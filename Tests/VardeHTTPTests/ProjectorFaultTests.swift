import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import VardeCore
import VardeHTTP
import VardeStore
import VardeTestSupport

/// Issue 15, defects 7 and 8: what happens while the projector cannot move.
@Suite("HTTP: a stuck projector", .serialized)
struct ProjectorFaultTests {
    /// Readiness as JSON.
    static func ready(_ client: Client) async throws -> (HTTPResponse.Status, [String: Any]) {
        let reply = try await client.request(.get, "/readyz")
        return (reply.status, reply.object)
    }

    @Test("an unreadable event: logged once, /readyz degraded, ingest goes on; skipping it (never a readable one) unblocks")
    func undecodableEvent() async throws {
        let capture = LogCapture()
        try await TestApp.run(logger: capture.logger()) { client in
            let w = try await World.make(client)
            let clinician = w.clinician
            let other = try await client.enroll(nationalID: World.nationalIDs[1], kommune: w.kommune, sykehus: nil, clinician: clinician)
            try await client.bind("OX-2", to: other, clinician: clinician)
            // A newer version's event, or a damaged one, in the first patient's stream.
            let appended = try await EventStore(database: client.database).append(
                to: StreamName.patient(w.patient), expected: .any,
                [NewEvent(id: UUID(), type: "ReadingRecorded", data: Data(#"{"from":"a newer version"}"#.utf8), metadata: .system)])
            let position = try #require(appended.first?.position)

            var body: [String: Any] = [:]
            for _ in 0..<100 {
                let (status, answer) = try await Self.ready(client)
                #expect(status == .ok)
                body = answer
                if body["status"] as? String == "degraded" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(body["status"] as? String == "degraded")
            let projector = body["projector"] as? [String: Any] ?? [:]
            #expect((projector["error"] as? String)?.contains("position \(position)") == true, "\(body)")
            #expect((projector["behindEvents"] as? Int ?? 0) >= 1 && projector["head"] as? Int == Int(position))

            // Ingest is not held up: the other patient's reading is stored.
            let ok = try await client.request(
                .post, "/v1/readings", token: w.gatewayKey,
                json: [
                    "readings": [
                        ["id": "after", "deviceSerial": "OX-2", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 96]
                    ]
                ])
            #expect((ok.object["results"] as? [[String: Any]])?.first?["status"] as? String == "created", "\(ok.text)")
            // The first patient cannot be decided on: 503, not a 422 blaming the client.
            let unreadable = try await client.request(
                .post, "/v1/readings", token: w.gatewayKey,
                json: [
                    "readings": [
                        ["id": "stuck", "deviceSerial": "OX-1", "measuredAt": World.time(1), "kind": "spo2", "unit": "%", "value": 96]
                    ]
                ])
            #expect(unreadable.status == .serviceUnavailable, "\(unreadable.text)")

            try await Task.sleep(for: .seconds(3))  // a few retries (1 s, 2 s …)
            let stopped = capture.all.filter { $0.hasPrefix("error subscription stopped") }
            #expect(stopped.count == 1, "logged once, not on every retry: \(stopped.count)")
            #expect(!capture.text.contains(#"a newer version"#), "the event's data never reaches the log")

            // The way out: a readable event is never skipped; the unreadable one is.
            await #expect(throws: DomainError.self) {
                _ = try await client.database.skipProjection(at: position - 1, reason: "test", by: "test")
            }
            let skip = try await client.database.skipProjection(at: position, reason: "written by a newer version", by: "test")
            #expect(skip.position == position)
            for _ in 0..<200 {
                if try await Self.ready(client).1["status"] as? String == "ready" { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(try await Self.ready(client).1["status"] as? String == "ready")
            let readings = try await client.ingestReadings(other, token: w.nurse)
            #expect(readings.count == 1, "the read models moved on past the skipped event")
            #expect(capture.all.contains { $0.hasPrefix("notice subscription recovered") })
            #expect(try await client.database.projectionSkips().map(\.reason) == ["written by a newer version"])
        }
    }

    @Test("a revoked key is refused at once on every instance while the projector is held still")
    func revocationWhileStuck() async throws {
        try await TestDatabase.with(maxConnections: 8) { database, schema in
            let runtime = { TestDatabase.database(schema, as: TestDatabase.runtimeRole, maxConnections: 5) }
            let (a, b) = (runtime(), runtime())
            let one = try await buildApplication(TestApp.configuration, logger: TestDatabase.logger, database: a)
            let other = try await buildApplication(TestApp.configuration, logger: TestDatabase.logger, database: b)
            try await one.test(.router) { first in
                let here = Client(client: first, database: database, runtime: a)
                let w = try await World.make(here)
                let reading = GatewayKeyTests.reading
                try await other.test(.router) { second in
                    let there = Client(client: second, database: database, runtime: b)
                    // Both instances have checked (and cached) the key.
                    #expect(try await here.request(.post, "/v1/readings", token: w.gatewayKey, json: reading("s-1")).status == .ok)
                    #expect(try await there.request(.post, "/v1/readings", token: w.gatewayKey, json: reading("s-2")).status == .ok)
                    // Hold every projector still: its checkpoint row is locked by another session.
                    let holder = try database.dedicatedConnection()
                    try holder.execute("BEGIN")
                    _ = try holder.query("SELECT position FROM subscriptions WHERE name = 'projector' FOR UPDATE")
                    let keyID = String(w.gatewayKey.dropFirst(4).prefix(16))
                    let revoke = try await here.request(.delete, "/v1/gateways/\(w.gateway)/keys/\(keyID)", token: w.admin)
                    #expect(revoke.status == .noContent)
                    for (name, instance) in [("this", here), ("another", there)] {
                        var refused = false
                        for attempt in 0..<20 where !refused {
                            let status = try await instance.request(
                                .post, "/v1/readings", token: w.gatewayKey, json: reading("r-\(name)-\(attempt)")
                            )
                            .status
                            refused = status == .unauthorized
                            if !refused { try await Task.sleep(for: .milliseconds(50)) }
                        }
                        #expect(refused, "\(name) instance accepts a revoked key while the projector is stuck")
                    }
                    #expect(try await here.count("SELECT count(*) FROM subscriptions WHERE name = 'projector'") == 1)
                    try holder.execute("ROLLBACK")
                }
            }
            await a.close()
            await b.close()
        }
    }

    @Test("the projector has connections of its own: it projects while requests hold every pooled connection")
    func projectorOwnConnections() async throws {
        try await TestApp.run { client in
            // Every request connection of the server, held.
            let release = DispatchSemaphore(value: 0)
            let holders = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<5 { group.addTask { try await client.runtime.withConnection { _ in release.wait() } } }
                    try await group.waitForAll()
                }
            }
            defer { for _ in 0..<5 { release.signal() } }
            while client.runtime.usage.inUse < 5 { try await Task.sleep(for: .milliseconds(10)) }
            // A fact in the log, appended beside the server; its read model row must follow.
            let team = UUID()
            let created = AdminEvent.teamCreated(
                TeamCreated(teamId: team, name: "Trondheim", kind: .kommune, kommunenummer: "5001", healthTrust: nil))
            _ = try await EventStore(database: client.database).append(
                to: StreamName.team(team), expected: .noStream,
                [NewEvent(id: UUID(), type: created.type, data: created.encode(), metadata: .system)])
            var projected = false
            for _ in 0..<200 where !projected {
                projected = try await client.count("SELECT count(*) FROM teams WHERE id = $1::uuid", [team.lowercasedText]) == 1
                if !projected { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(projected, "the projector waited for a request connection")
            #expect(client.runtime.usage.inUse == 5)
            for _ in 0..<5 { release.signal() }
            try await holders.value
        }
    }
}
