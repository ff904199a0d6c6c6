import Foundation
import Testing

/// The patient view and the team worklist, from the projection, through HTTP.
@Suite("HTTP: patient view and worklist")
struct PatientViewHTTPTests {
    @Test("the view: latest per kind by measured time, status, open alerts, thresholds and version, teams, devices, recent readings")
    func view() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let empty = try await client.view(world.patient, token: world.nurse)
            #expect(empty["status"] as? String == "green")
            #expect((empty["latest"] as? [String: Any])?.isEmpty == true)

            let ids = try await client.post(
                world,
                [
                    Client.item("v-1", "spo2", 95, offset: 10), Client.item("v-2", "spo2", 92, offset: 30),
                    Client.item("v-3", "pulse", 120, offset: 20),
                ])
            // Arrives last but was measured earlier: not the latest spo2.
            try await client.post(world, [Client.item("v-4", "spo2", 97, offset: 5)])
            let view = try await client.view(world.patient, token: world.nurse)
            let latest = try #require(view["latest"] as? [String: [String: Any]])
            #expect(Set(latest.keys) == ["spo2", "pulse"])
            #expect((latest["spo2"]?["value"] as? [String: Any])?["value"] as? Double == 92)
            #expect(latest["spo2"]?["readingId"] as? String == ids[1])
            #expect((latest["pulse"]?["value"] as? [String: Any])?["value"] as? Double == 120)
            #expect(view["status"] as? String == "yellow")
            let open = try #require(view["openAlerts"] as? [[String: Any]])
            #expect(open.map { $0["rule"] as? String } == ["pulse.high"])
            #expect(view["thresholdVersion"] as? Int == 1)
            #expect(((view["thresholds"] as? [String: Any])?["spo2Low"] as? [String: Any])?["yellow"] as? Double == 89)
            #expect((view["teams"] as? [String: String]) == ["kommune": world.kommune.lower, "sykehus": world.sykehus.lower])
            let devices = try #require(view["devices"] as? [[String: Any]])
            #expect(devices.map { $0["serial"] as? String } == ["OX-1"])
            let recent = try #require(view["recent"] as? [String: [[String: Any]]])
            #expect(recent["spo2"]?.compactMap { ($0["value"] as? [String: Any])?["value"] as? Double } == [97, 95, 92], "oldest first")
            #expect(recent["pulse"]?.count == 1)
            #expect(view["nationalId"] as? String == World.nationalIDs[0])

            // Red wins the colour; voiding the latest spo2 falls back to the one before; voided readings leave `recent`.
            try await client.post(world, [Client.item("v-5", "temperature", 39.6, offset: 40)])
            #expect(try await client.view(world.patient, token: world.nurse)["status"] as? String == "red")
            let void = try await client.request(.post, "/v1/readings/\(ids[1])/void", token: world.nurse, json: ["reason": "feil måling"])
            #expect(void.status == .ok)
            let after = try await client.view(world.patient, token: world.nurse)
            #expect(((after["latest"] as? [String: [String: Any]])?["spo2"]?["value"] as? [String: Any])?["value"] as? Double == 95)
            #expect((after["recent"] as? [String: [[String: Any]]])?["spo2"]?.count == 2)
        }
    }

    @Test("voiding the only reading of an alert withdraws it and the status returns to green; an alert with two readings stays")
    func voidWithdraws() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let only = try await client.post(world, [Client.item("w-1", "spo2", 88, offset: 1)])[0]
            #expect(try await client.view(world.patient, token: world.nurse)["status"] as? String == "yellow")
            let cursor = try await client.drain(world.kommune, token: world.nurse).next
            #expect(
                try await client.request(.post, "/v1/readings/\(only)/void", token: world.nurse, json: ["reason": "feil"]).status == .ok)
            let feed = try await client.drain(world.kommune, token: world.nurse, after: cursor)
            #expect(feed.entries.map { "\($0.change) \($0.state) \($0.resolution ?? "-")" } == ["resolved resolved withdrawn"])
            let view = try await client.view(world.patient, token: world.nurse)
            #expect(view["status"] as? String == "green")
            #expect((view["openAlerts"] as? [Any])?.isEmpty == true)

            let two = try await client.post(
                world, [Client.item("w-2", "pulse", 115, offset: 2), Client.item("w-3", "pulse", 118, offset: 3)])
            #expect(
                try await client.request(.post, "/v1/readings/\(two[0])/void", token: world.nurse, json: ["reason": "feil"]).status == .ok)
            let still = try await client.view(world.patient, token: world.nurse)
            #expect(still["status"] as? String == "yellow")
            #expect((still["openAlerts"] as? [[String: Any]])?.first?["state"] as? String == "open")
            #expect(
                try await client.request(.post, "/v1/readings/\(two[0])/void", token: world.nurse, json: ["reason": "igjen"]).status
                    == .conflict)
        }
    }

    @Test("new thresholds get version 2 with author and reason; later readings are judged by them; earlier alerts keep version 1")
    func thresholds() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            try await client.post(world, [Client.item("t-1", "spo2", 88, offset: 1)])
            let first = try #require(try await client.drain(world.kommune, token: world.nurse).entries.first)
            #expect(first.thresholdVersion == 1)
            #expect(try await client.act("resolve", first.id, token: world.nurse).status == .ok)

            let thresholds: [String: Any] = [
                "spo2Low": ["yellow": 92, "red": 88], "pulseLow": ["yellow": 50, "red": 40], "pulseHigh": ["yellow": 111, "red": 131],
                "expected": [["kind": "spo2", "intervalHours": 24, "graceHours": 12]],
            ]
            let missingReason = try await client.request(
                .put, "/v1/patients/\(world.patient)/thresholds", token: world.clinician,
                json: ["thresholds": thresholds, "reason": " "])
            #expect(missingReason.status.code == 400 || missingReason.status.code == 422)
            let put = try await client.request(
                .put, "/v1/patients/\(world.patient)/thresholds", token: world.clinician,
                json: ["thresholds": thresholds, "reason": "stabil KOLS, strengere grense"])
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.object["thresholdVersion"] as? Int == 2)
            #expect(((put.object["thresholds"] as? [String: Any])?["spo2Low"] as? [String: Any])?["yellow"] as? Double == 92)
            let change = try await client.database.withConnection { c in
                let r = try c.query(
                    """
                    SELECT data->>'version', data->'by'->>'subject', data->>'reason' FROM events
                    WHERE stream_id = $1 AND type = 'ThresholdsChanged' ORDER BY position DESC LIMIT 1
                    """, ["patient-\(world.patient.lower)"])
                return [r.string(0, 0), r.string(0, 1), r.string(0, 2)]
            }
            #expect(change == ["2", "clinician-1", "stabil KOLS, strengere grense"])

            // 91 is no breach under the kols defaults (≤ 89) but yellow under version 2 (≤ 92).
            try await client.post(world, [Client.item("t-2", "spo2", 91, offset: 2)])
            let page = try await client.drain(world.kommune, token: world.nurse)
            let raised = try #require(page.entries.last)
            #expect(raised.change == "raised" && raised.severity == "yellow" && raised.thresholdVersion == 2)
            #expect(page.entries.filter { $0.id == first.id }.allSatisfy { $0.thresholdVersion == 1 })
            // Temperature has no rule in version 2.
            try await client.post(world, [Client.item("t-3", "temperature", 40, offset: 3)])
            #expect(try await client.drain(world.kommune, token: world.nurse, after: page.next).entries.isEmpty)
            let events = try await client.alertEvents(world.patient).filter { $0.type == "AlertRaised" }
            #expect(events.map { $0.data["thresholdVersion"] as? Int } == [1, 2])
        }
    }

    @Test("the worklist lists the team's patients red first, then yellow, then green")
    func worklist() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)  // stays green
            let yellow = try await client.patient(world, nationalID: World.nationalIDs[1], serial: "OX-2")
            let red = try await client.patient(world, nationalID: World.nationalIDs[2], serial: "OX-3")
            try await client.post(
                world,
                [
                    Client.item("k-1", "spo2", 88, serial: "OX-2", offset: 1),
                    Client.item("k-2", "spo2", 80, serial: "OX-3", offset: 1),
                ])
            let reply = try await client.request(.get, "/v1/teams/\(world.kommune)/patients", token: world.nurse)
            #expect(reply.status == .ok)
            let rows = try #require(reply.object["patients"] as? [[String: Any]])
            #expect(rows.map { $0["id"] as? String } == [red.lower, yellow.lower, world.patient.lower])
            #expect(rows.map { $0["status"] as? String } == ["red", "yellow", "green"])
            #expect(rows.map { $0["openAlerts"] as? Int } == [1, 1, 0])
            // The sykehus team's worklist holds the same patients; another kommune's holds none.
            let sykehus = try await client.request(.get, "/v1/teams/\(world.sykehus)/patients", token: world.sykehusNurse)
            #expect((sykehus.object["patients"] as? [[String: Any]])?.count == 3)
            let other = try await client.request(.get, "/v1/teams/\(world.otherKommune)/patients", token: world.otherNurse)
            #expect((other.object["patients"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await client.request(.get, "/v1/teams/\(world.kommune)/patients", token: world.otherNurse).status == .notFound)
        }
    }
}
