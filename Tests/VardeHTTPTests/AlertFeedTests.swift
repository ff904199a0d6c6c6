import Foundation
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

/// The nurses' feed: cursor paging, long poll, and no loss or duplicates
/// while gateways post concurrently.
@Suite("HTTP: alert feed")
struct AlertFeedHTTPTests {
    @Test("paging with a small limit sees every change exactly once, in order, and ends on the last cursor")
    func paging() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let p2 = try await client.patient(world, nationalID: World.nationalIDs[1], serial: "OX-2")
            try await client.post(
                world,
                [
                    Client.item("p-1", "spo2", 88, offset: 1), Client.item("p-2", "pulse", 120, offset: 1),
                    Client.item("q-1", "spo2", 84, serial: "OX-2", offset: 1),
                ])
            try await client.post(
                world, [Client.item("p-3", "spo2", 87, offset: 2), Client.item("q-2", "temperature", 38.5, serial: "OX-2", offset: 2)])
            let all = try await client.feed(world.kommune, token: world.nurse, limit: 500)
            #expect(all.entries.count == 5)
            let first = try #require(all.entries.first?.id)
            _ = try await client.act("acknowledge", first, token: world.nurse)
            _ = try await client.act("resolve", first, token: world.nurse)
            _ = p2

            let everything = try await client.feed(world.kommune, token: world.nurse, limit: 500)
            #expect(everything.entries.count == 7)
            var paged: [FeedEntry] = []
            var cursor: String?
            var pages = 0
            while true {
                let page = try await client.feed(world.kommune, token: world.nurse, after: cursor, limit: 3)
                pages += 1
                #expect(page.entries.count <= 3)
                if page.entries.isEmpty {
                    #expect(page.next == cursor, "an empty page hands back the cursor it was given")
                    break
                }
                #expect(page.next == page.entries.last?.cursor)
                paged += page.entries
                cursor = page.next
            }
            #expect(pages == 4)
            #expect(paged == everything.entries)
            #expect(Set(paged.map(\.cursor)).count == paged.count)
            let positions = paged.map(\.position)
            #expect(zip(positions, positions.dropFirst()).allSatisfy { $0 < $1 }, "cursors strictly increase")
            #expect(paged.suffix(2).map(\.change) == ["acknowledged", "resolved"])

            let bad = try await client.request(.get, "/v1/teams/\(world.kommune)/alerts?after=bm9wZQ", token: world.nurse)
            #expect(bad.status.code == 400 || bad.status.code == 422)
        }
    }

    @Test("a long poll answers as soon as a change arrives")
    func longPollWakes() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let cursor = try await client.drain(world.kommune, token: world.nurse).next
            let started = ContinuousClock.now
            async let waiting = client.feed(world.kommune, token: world.nurse, after: cursor, wait: 20)
            try await Task.sleep(for: .milliseconds(300))
            try await client.post(world, [Client.item("l-1", "spo2", 84, offset: 1)])
            let page = try await waiting
            let elapsed = ContinuousClock.now - started
            #expect(page.entries.map(\.change) == ["raised"])
            #expect(elapsed < .seconds(5), "answered after \(elapsed), the wait was 20 s")
            #expect(elapsed >= .milliseconds(300), "it did wait for the change")
        }
    }

    @Test("notifications from another schema in the same database (its positions far ahead) do not stall the projector")
    func foreignNotifications() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let cursor = try await client.drain(world.kommune, token: world.nurse).next
            try await TestDatabase.with(maxConnections: 1) { other, _ in
                let events = (0..<300).map { _ in
                    NewEvent(id: UUID(), type: "Tested", data: Data("{}".utf8), metadata: EventMetadata(actor: "test", role: "system"))
                }
                _ = try await EventStore(database: other).append(to: "patient-\(UUID().lower)", expected: .any, events)
            }
            try await Task.sleep(for: .milliseconds(300))  // let the listener see the foreign notification
            let started = ContinuousClock.now
            let reply = try await client.request(
                .post, "/v1/readings", token: world.gatewayKey,
                json: ["readings": [Client.item("f-1", "spo2", 84, offset: 1)]])
            #expect(reply.status == .ok)
            let page = try await client.feed(world.kommune, token: world.nurse, after: cursor, wait: 15)
            #expect(page.entries.map(\.change) == ["raised"])
            // A stall would wait out the 5 s read-your-writes timeout; 4.5 s leaves room for a loaded machine.
            #expect(ContinuousClock.now - started < .milliseconds(4500), "the projector waited for a position from another schema")
        }
    }

    @Test("a long poll that sees nothing answers an empty page with the same cursor when the wait runs out")
    func longPollTimesOut() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.post(world, [Client.item("t-1", "spo2", 88, offset: 1)])
            let cursor = try await client.drain(world.kommune, token: world.nurse).next
            let started = ContinuousClock.now
            let page = try await client.feed(world.kommune, token: world.nurse, after: cursor, wait: 1)
            let elapsed = ContinuousClock.now - started
            #expect(page.entries.isEmpty)
            #expect(page.next == cursor)
            #expect(elapsed >= .milliseconds(900) && elapsed < .seconds(4), "\(elapsed)")
            // Progress elsewhere in the log (a new team) wakes the poll, but it keeps waiting for its own feed.
            let again = ContinuousClock.now
            async let other = client.feed(world.kommune, token: world.nurse, after: cursor, wait: 1.5)
            try await Task.sleep(for: .milliseconds(200))
            _ = try await client.createTeam("kommune", admin: world.admin)
            let quiet = try await other
            #expect(quiet.entries.isEmpty && quiet.next == cursor)
            #expect(ContinuousClock.now - again >= .milliseconds(1400))
        }
    }

    @Test("a poller following its cursor during concurrent ingest for several patients gets every row once, in order")
    func concurrentIngest() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            var serials = ["OX-1"]
            for (i, nid) in World.nationalIDs.dropFirst().enumerated() {
                _ = try await client.patient(world, nationalID: nid, serial: "OX-\(i + 2)")
                serials.append("OX-\(i + 2)")
            }
            let start = try await client.drain(world.kommune, token: world.nurse).next
            let values: [Double] = [88, 87, 95, 84, 89, 86, 83, 96]
            let ingestDone = Flag()
            let poller = Task { () throws -> [FeedEntry] in
                var seen: [FeedEntry] = []
                var cursor = start
                var quiet = 0
                while quiet < 2 {  // two empty long polls in a row after ingest stopped
                    let page = try await client.feed(world.kommune, token: world.nurse, after: cursor, limit: 7, wait: 0.5)
                    seen += page.entries
                    cursor = page.next
                    let done = await ingestDone.value
                    quiet = page.entries.isEmpty && done ? quiet + 1 : 0
                }
                return seen
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (p, serial) in serials.enumerated() {
                    for round in 0..<2 {  // two posters per patient race for the same stream
                        group.addTask {
                            for (i, v) in values.enumerated() where i % 2 == round {
                                let reply = try await client.request(
                                    .post, "/v1/readings", token: world.gatewayKey,
                                    json: [
                                        "readings": [
                                            Client.item("c-\(p)-\(i)", "spo2", v, serial: serial, offset: Double(i) + 1),
                                            Client.item(
                                                "c-\(p)-\(i)-pulse", "pulse", v > 90 ? 70 : 115, serial: serial, offset: Double(i) + 1),
                                        ]
                                    ])
                                #expect(reply.status == .ok)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            try await client.settle()
            await ingestDone.set()  // the poller still drains until two polls come back empty
            let collected = try await poller.value
            let table = try await client.database.withConnection { c in
                let r = try c.query(
                    "SELECT position, seq, alert_id::text, change FROM alert_feed WHERE team_id = $1 ORDER BY position, seq",
                    [world.kommune])
                return (0..<r.rowCount).map { "\(r.int($0, 0)!):\(r.int($0, 1)!):\(r.string($0, 2)!):\(r.string($0, 3)!)" }
            }
            let startPosition = FeedEntry.decode(start)
            let expected = table.filter { row in
                let parts = row.split(separator: ":")
                return (Int64(parts[0])!, Int(parts[1])!) > startPosition
            }
            let got = collected.map { "\($0.position.0):\($0.position.1):\($0.id):\($0.change)" }
            #expect(expected.count > 20, "the scenario produced changes (\(expected.count))")
            #expect(got == expected)
            #expect(Set(got).count == got.count)
        }
    }
}

/// Set once, read by a polling task.
actor Flag {
    private(set) var value = false
    func set() { value = true }
}
