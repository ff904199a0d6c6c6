import Foundation
import Testing

/// Open alerts absorb further breaches; acknowledge, escalate and resolve are
/// events with who and when; a step the state does not allow is a 409.
@Suite("HTTP: alert lifecycle")
struct AlertLifecycleTests {
    @Test("a further breach updates the open alert (count, worst value); a red breach raises its severity")
    func dedupAndSeverity() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.post(world, [Client.item("d-1", "spo2", 88, offset: 1)])
            let raised = try await client.drain(world.kommune, token: world.nurse)
            try #require(raised.entries.count == 1)
            let alert = raised.entries[0]
            #expect(alert.change == "raised" && alert.severity == "yellow" && alert.breachCount == 1)

            // Arrival order is not measured order: a milder value later keeps the worst value.
            try await client.post(world, [Client.item("d-2", "spo2", 86, offset: 3), Client.item("d-3", "spo2", 87, offset: 2)])
            let updated = try await client.drain(world.kommune, token: world.nurse, after: raised.next)
            #expect(updated.entries.map(\.change) == ["updated", "updated"])
            #expect(updated.entries.allSatisfy { $0.id == alert.id && $0.severity == "yellow" })
            #expect(updated.entries.map(\.breachCount) == [2, 3])
            #expect(updated.entries.map(\.worstValue) == [86, 86])

            try await client.post(world, [Client.item("d-4", "spo2", 84, offset: 4)])
            let red = try await client.drain(world.kommune, token: world.nurse, after: updated.next)
            try #require(red.entries.count == 1)
            #expect(red.entries[0].id == alert.id)
            #expect(red.entries[0].change == "updated")
            #expect(red.entries[0].severity == "red")
            #expect(red.entries[0].breachCount == 4)
            #expect(red.entries[0].worstValue == 84)

            // A milder breach after red never lowers it.
            try await client.post(world, [Client.item("d-5", "spo2", 89, offset: 5)])
            let after = try await client.drain(world.kommune, token: world.nurse, after: red.next)
            #expect(after.entries.map(\.severity) == ["red"])
            #expect(after.entries.map(\.breachCount) == [5])

            let events = try await client.alertEvents(world.patient)
            #expect(events.map(\.type) == ["AlertRaised"] + Array(repeating: "AlertUpdated", count: 4))
            let view = try await client.view(world.patient, token: world.nurse)
            #expect((view["openAlerts"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test("acknowledge, escalate and resolve are each an event with who, when and the note")
    func workflow() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.post(world, [Client.item("w-1", "spo2", 88, offset: 1)])
            let id = try #require(try await client.drain(world.kommune, token: world.nurse).entries.first?.id)
            let before = Date().addingTimeInterval(-1)

            let ack = try await client.act("acknowledge", id, token: world.nurse, note: "ringte pasienten")
            #expect(ack.status == .ok)
            #expect(ack.object["state"] as? String == "acknowledged")
            #expect(
                (ack.object["acknowledged"] as? [String: Any]).flatMap { $0["by"] as? [String: Any] }?["subject"] as? String == "nurse-1")

            let esc = try await client.act("escalate", id, token: world.nurse, note: "til lungepoliklinikken")
            #expect(esc.status == .ok)
            #expect(esc.object["state"] as? String == "escalated")

            let res = try await client.act("resolve", id, token: world.sykehusNurse, note: "justert medisin")
            #expect(res.status == .ok)
            #expect(res.object["state"] as? String == "resolved")
            #expect(res.object["resolution"] as? String == "manual")

            let events = try await client.alertEvents(world.patient)
            #expect(events.map(\.type) == ["AlertRaised", "AlertAcknowledged", "AlertEscalated", "AlertResolved"])
            #expect(events.map(\.by) == [nil, "nurse-1", "nurse-1", "nurse-sykehus"])
            #expect(
                events.dropFirst().map { $0.data["note"] as? String } == ["ringte pasienten", "til lungepoliklinikken", "justert medisin"])
            for e in events.dropFirst() {
                let at = try #require((e.data["at"] as? String).flatMap(Client.instant))
                #expect(at >= before && at <= Date().addingTimeInterval(1), "\(e.type) at \(at)")
            }
            let feed = try await client.drain(world.kommune, token: world.nurse)
            #expect(feed.entries.map(\.change) == ["raised", "acknowledged", "escalated", "resolved"])
        }
    }

    @Test("a step the alert's state does not allow is 409 problem+json and writes nothing")
    func conflicts() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.post(world, [Client.item("c-1", "spo2", 88, offset: 1)])
            let id = try #require(try await client.drain(world.kommune, token: world.nurse).entries.first?.id)

            func expectConflict(_ action: String, _ comment: Comment) async throws {
                let reply = try await client.act(action, id, token: world.nurse)
                #expect(reply.status == .conflict, comment)
                #expect(reply.headers[.contentType]?.hasPrefix("application/problem+json") == true, comment)
                #expect(reply.object["status"] as? Int == 409, comment)
            }
            #expect(try await client.act("acknowledge", id, token: world.nurse).status == .ok)
            try await expectConflict("acknowledge", "acknowledged twice")
            #expect(try await client.act("escalate", id, token: world.nurse).status == .ok)
            try await expectConflict("escalate", "escalated twice")
            #expect(try await client.act("resolve", id, token: world.nurse).status == .ok)
            try await expectConflict("resolve", "resolved twice")
            try await expectConflict("acknowledge", "acknowledge a resolved alert")
            try await expectConflict("escalate", "escalate a resolved alert")
            #expect(try await client.alertEvents(world.patient).count == 4)

            let unknown = try await client.act("acknowledge", UUID().lower, token: world.nurse)
            #expect(unknown.status == .notFound)
        }
    }

    @Test("escalating a patient without a sykehus team is a 409")
    func escalateWithoutSykehus() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let patient = try await client.enroll(
                nationalID: World.nationalIDs[1], kommune: world.kommune, sykehus: nil, clinician: world.clinician)
            try await client.bind("OX-9", to: patient, clinician: world.clinician)
            try await client.post(world, [Client.item("s-1", "spo2", 88, serial: "OX-9", offset: 1)])
            let id = try #require(try await client.drain(world.kommune, token: world.nurse).entries.first?.id)
            #expect(try await client.act("escalate", id, token: world.nurse).status == .conflict)
        }
    }
}
