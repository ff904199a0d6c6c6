import Foundation
import Testing

/// Which team feeds show an alert: yellow → kommune; red → kommune and
/// sykehus; escalated → sykehus too; reassignment moves open alerts.
@Suite("HTTP: alert routing")
struct AlertRoutingHTTPTests {
    @Test("yellow reaches only the kommune feed; red reaches both; a yellow turning red reaches the sykehus as updated")
    func bySeverity() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.post(world, [Client.item("y-1", "spo2", 88, offset: 1)])
            let kommune = try await client.drain(world.kommune, token: world.nurse)
            #expect(kommune.entries.map(\.change) == ["raised"])
            #expect(kommune.entries.first?.teams == [world.kommune.lower])
            #expect(try await client.drain(world.sykehus, token: world.sykehusNurse).entries.isEmpty)

            try await client.post(world, [Client.item("r-1", "temperature", 39.5, offset: 2)])
            let k2 = try await client.drain(world.kommune, token: world.nurse, after: kommune.next)
            let s2 = try await client.drain(world.sykehus, token: world.sykehusNurse)
            #expect(k2.entries.map { "\($0.change) \($0.severity) \($0.rule)" } == ["raised red temperature.high"])
            #expect(s2.entries.map { "\($0.change) \($0.severity) \($0.rule)" } == ["raised red temperature.high"])
            #expect(s2.entries.first?.teams == [world.kommune.lower, world.sykehus.lower])

            try await client.post(world, [Client.item("y-2", "spo2", 84, offset: 3)])
            let s3 = try await client.drain(world.sykehus, token: world.sykehusNurse, after: s2.next)
            #expect(s3.entries.map { "\($0.change) \($0.severity) \($0.rule)" } == ["updated red spo2.low"])
            #expect(s3.entries.first?.id == kommune.entries.first?.id)
        }
    }

    @Test("an escalated yellow alert reaches the sykehus feed and stays there after acknowledgement")
    func escalation() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.post(world, [Client.item("e-1", "spo2", 88, offset: 1)])
            let id = try #require(try await client.drain(world.kommune, token: world.nurse).entries.first?.id)
            // Before escalation the sykehus nurse cannot act on it through her feed: it is not there.
            #expect(try await client.drain(world.sykehus, token: world.sykehusNurse).entries.isEmpty)
            #expect(try await client.act("escalate", id, token: world.nurse, note: "trenger lege").status == .ok)
            let s = try await client.drain(world.sykehus, token: world.sykehusNurse)
            #expect(s.entries.map(\.change) == ["escalated"])
            #expect(s.entries.first?.severity == "yellow")
            #expect(s.entries.first?.teams == [world.kommune.lower, world.sykehus.lower])
            #expect(try await client.act("acknowledge", id, token: world.sykehusNurse).status == .ok)
            let s2 = try await client.drain(world.sykehus, token: world.sykehusNurse, after: s.next)
            #expect(s2.entries.map { "\($0.change) \($0.state)" } == ["acknowledged acknowledged"])
            #expect(s2.entries.first?.teams.contains(world.sykehus.lower) == true)
            let k = try await client.drain(world.kommune, token: world.nurse)
            #expect(k.entries.map(\.change) == ["raised", "escalated", "acknowledged"])
        }
    }

    @Test("reassigning the patient moves open alerts: the new team sees them updated, the old team sees them leave")
    func reassignment() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.post(
                world,
                [
                    Client.item("m-1", "spo2", 88, offset: 1), Client.item("m-2", "pulse", 120, offset: 2),
                    Client.item("m-3", "temperature", 35.5, offset: 3),
                ])
            let before = try await client.drain(world.kommune, token: world.nurse)
            #expect(before.entries.count == 3)
            let resolved = try #require(before.entries.first { $0.rule == "temperature.low" })
            #expect(try await client.act("resolve", resolved.id, token: world.nurse).status == .ok)
            let open = Set(before.entries.filter { $0.rule != "temperature.low" }.map(\.id))
            let old = try await client.drain(world.kommune, token: world.nurse).next

            let put = try await client.request(
                .put, "/v1/patients/\(world.patient)/teams", token: world.clinician,
                json: ["kommune": world.otherKommune.lower, "sykehus": world.sykehus.lower])
            #expect(put.status == .ok, "\(put.text)")
            #expect((put.object["teams"] as? [String: Any])?["kommune"] as? String == world.otherKommune.lower)

            let arrived = try await client.drain(world.otherKommune, token: world.otherNurse)
            #expect(arrived.entries.map(\.change) == ["updated", "updated"])
            #expect(Set(arrived.entries.map(\.id)) == open)
            #expect(arrived.entries.allSatisfy { $0.teams == [world.otherKommune.lower] && $0.state == "open" })

            let left = try await client.drain(world.kommune, token: world.nurse, after: old)
            #expect(left.entries.map(\.change) == ["updated", "updated"])
            #expect(Set(left.entries.map(\.id)) == open)
            #expect(left.entries.allSatisfy { !$0.teams.contains(world.kommune.lower) })
            // One event, several changes: paging one at a time splits them by the cursor's sequence number.
            #expect(Set(left.entries.map(\.position.0)).count == 1)
            #expect(try await client.drain(world.kommune, token: world.nurse, after: old, limit: 1).entries == left.entries)
            #expect(try await client.drain(world.otherKommune, token: world.otherNurse, limit: 1).entries == arrived.entries)

            // The new team works the alert; the old team no longer sees the patient.
            let first = try #require(arrived.entries.first?.id)
            #expect(try await client.act("acknowledge", first, token: world.otherNurse).status == .ok)
            #expect(try await client.act("resolve", first, token: world.nurse).status == .notFound)
            #expect(try await client.drain(world.kommune, token: world.nurse, after: left.next).entries.isEmpty)
            let worklist = try await client.request(.get, "/v1/teams/\(world.otherKommune)/patients", token: world.otherNurse)
            #expect((worklist.object["patients"] as? [[String: Any]])?.map { $0["id"] as? String } == [world.patient.lower])
            let oldList = try await client.request(.get, "/v1/teams/\(world.kommune)/patients", token: world.nurse)
            #expect((oldList.object["patients"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test("the patient's routing setting: yellow also to the sykehus team moves the open yellow alert there; red only to the kommune team")
    func routingSetting() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.post(world, [Client.item("o-1", "spo2", 88, offset: 1)])
            let yellow = try #require(try await client.drain(world.kommune, token: world.nurse).entries.first)
            #expect(try await client.drain(world.sykehus, token: world.sykehusNurse).entries.isEmpty)

            let put = try await client.request(
                .put, "/v1/patients/\(world.patient)/routing", token: world.clinician,
                json: ["routing": "yellowAlsoToSykehus"])
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.object["routing"] as? String == "yellowAlsoToSykehus")
            let moved = try await client.drain(world.sykehus, token: world.sykehusNurse)
            #expect(moved.entries.map { "\($0.id) \($0.change) \($0.severity)" } == ["\(yellow.id) updated yellow"])
            #expect(moved.entries.first?.teams == [world.kommune.lower, world.sykehus.lower])
            // The same setting again changes nothing: no new feed entry.
            #expect(
                try await client.request(
                    .put, "/v1/patients/\(world.patient)/routing", token: world.clinician,
                    json: ["routing": "yellowAlsoToSykehus"]
                ).status == .ok)
            #expect(try await client.drain(world.sykehus, token: world.sykehusNurse, after: moved.next).entries.isEmpty)

            #expect(
                try await client.request(
                    .put, "/v1/patients/\(world.patient)/routing", token: world.clinician,
                    json: ["routing": "redOnlyKommune"]
                ).status == .ok)
            let after = try await client.drain(world.sykehus, token: world.sykehusNurse, after: moved.next).next
            try await client.post(world, [Client.item("o-2", "temperature", 39.5, offset: 2)])
            let kommune = try await client.drain(world.kommune, token: world.nurse)
            #expect(kommune.entries.last.map { "\($0.rule) \($0.severity) \($0.teams)" } == "temperature.high red \([world.kommune.lower])")
            #expect(try await client.drain(world.sykehus, token: world.sykehusNurse, after: after).entries.isEmpty)

            let bad = try await client.request(
                .put, "/v1/patients/\(world.patient)/routing", token: world.clinician, json: ["routing": "everyone"])
            #expect(bad.status == .unprocessableContent)
            #expect((bad.object["errors"] as? [[String: Any]])?.compactMap { $0["pointer"] as? String } == ["/routing"])
        }
    }
}
