import Foundation
import Testing
import VardeCore

/// Issue 18: what the web app's patient page and worklist read besides the
/// patient view: every alert with why it was raised, the threshold versions
/// with when each came into force, and the worklist's rank and plan.
@Suite("Patient page: alert history, threshold versions, worklist rank")
struct PatientHistoryTests {
    @Test("each alert with its reading, rule, limit and threshold version; a voided reading is marked; other teams get 404")
    func alertHistory() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let ids = try await client.post(world, [Client.item("h-1", "spo2", 84, offset: 1), Client.item("h-2", "pulse", 72, offset: 1)])
            let reply = try await client.request(.get, "/v1/patients/\(world.patient)/alerts", token: world.nurse)
            #expect(reply.status == .ok)
            let alerts = try #require(reply.object["alerts"] as? [[String: Any]])
            try #require(alerts.count == 1)
            #expect(alerts[0]["rule"] as? String == "spo2.low" && alerts[0]["state"] as? String == "open")
            let why = try #require(alerts[0]["explanation"] as? [String: Any])
            #expect(why["severity"] as? String == "red")
            #expect(why["value"] as? Double == 84 && why["limit"] as? Double == 85)
            #expect(why["thresholdVersion"] as? Int == 1)
            let reading = try #require(why["reading"] as? [String: Any])
            #expect((reading["readingId"] as? String)?.lowercased() == ids[0].lowercased())
            #expect((reading["value"] as? [String: Any])?["value"] as? Double == 84)
            #expect(reading["voided"] as? Bool == false)
            #expect(why["baseline"] == nil)

            let void = try await client.request(
                .post, "/v1/readings/\(ids[0])/void", token: world.nurse, json: ["reason": "sensoren satt feil"])
            #expect(void.status.code < 300)
            try await client.settle()
            let after = try await client.request(.get, "/v1/patients/\(world.patient)/alerts", token: world.nurse)
            let entry = try #require((after.object["alerts"] as? [[String: Any]])?.first)
            #expect(((entry["explanation"] as? [String: Any])?["reading"] as? [String: Any])?["voided"] as? Bool == true)
            #expect(entry["resolution"] as? String == "withdrawn")

            #expect(try await client.request(.get, "/v1/patients/\(world.patient)/alerts", token: world.otherNurse).status == .notFound)
            #expect(try await client.request(.get, "/v1/patients/\(world.patient)/alerts", token: world.auditor).status == .forbidden)
        }
    }

    @Test("a weight gain's explanation names the baseline it was measured against")
    func weightBaseline() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let patient = try await client.patient(
                world, nationalID: World.nationalIDs[1], program: "hjertesvikt", serial: "SC-1", kind: "scale")
            let ids = try await client.post(
                world,
                [
                    Client.item("w-1", "weight", 80.5, serial: "SC-1", offset: 1),
                    Client.item("w-2", "weight", 80.0, serial: "SC-1", offset: 2),
                    Client.item("w-3", "weight", 83.1, serial: "SC-1", offset: 3),
                ])
            let reply = try await client.request(.get, "/v1/patients/\(patient)/alerts", token: world.nurse)
            let alert = try #require((reply.object["alerts"] as? [[String: Any]])?.first)
            #expect(alert["rule"] as? String == "weight.gain")
            let why = try #require(alert["explanation"] as? [String: Any])
            #expect(why["severity"] as? String == "red")
            let baseline = try #require(why["baseline"] as? [String: Any])
            #expect(baseline["kg"] as? Double == 80.0)
            #expect((baseline["readingId"] as? String)?.lowercased() == ids[1].lowercased())
            #expect(((why["reading"] as? [String: Any])?["readingId"] as? String)?.lowercased() == ids[2].lowercased())
        }
    }

    @Test("threshold versions oldest first, each with its thresholds, when it came into force, the reason and who")
    func thresholdVersions() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let thresholds: [String: Any] = [
                "spo2Low": ["yellow": 92, "red": 88], "pulseHigh": ["yellow": 111, "red": 131],
                "expected": [["kind": "spo2", "intervalHours": 24, "graceHours": 12]],
            ]
            let put = try await client.request(
                .put, "/v1/patients/\(world.patient)/thresholds", token: world.clinician,
                json: ["thresholds": thresholds, "reason": "stabil KOLS"])
            #expect(put.status == .ok)
            let reply = try await client.request(.get, "/v1/patients/\(world.patient)/thresholds", token: world.nurse)
            #expect(reply.status == .ok)
            let versions = try #require(reply.object["versions"] as? [[String: Any]])
            #expect(versions.map { $0["version"] as? Int } == [1, 2])
            #expect(((versions[0]["thresholds"] as? [String: Any])?["spo2Low"] as? [String: Any])?["red"] as? Double == 85)
            #expect(((versions[1]["thresholds"] as? [String: Any])?["spo2Low"] as? [String: Any])?["red"] as? Double == 88)
            #expect(versions[1]["reason"] as? String == "stabil KOLS")
            #expect((versions[1]["by"] as? [String: Any])?["subject"] as? String == "clinician-1")
            let from = versions.compactMap { ($0["inForceFrom"] as? String).flatMap(EventDate.parse) }
            #expect(from.count == 2 && from[0] < from[1])
            #expect(try await client.request(.get, "/v1/patients/\(world.patient)/thresholds", token: world.otherNurse).status == .notFound)
        }
    }

    @Test("the worklist says each patient's rank, national id, planned kinds and overdue kinds, as of the server's time")
    func worklistFields() async throws {
        try await TestApp.run { client in
            let world = try await World.make(client)
            let yellow = try await client.patient(world, nationalID: World.nationalIDs[1], serial: "OX-2")
            try await client.post(world, [Client.item("k-1", "spo2", 88, serial: "OX-2", offset: 1)])
            let reply = try await client.request(.get, "/v1/teams/\(world.kommune)/patients", token: world.nurse)
            let rows = try #require(reply.object["patients"] as? [[String: Any]])
            #expect(rows.map { $0["id"] as? String } == [yellow.lower, world.patient.lower])
            #expect(rows.map { $0["triage"] as? String } == ["yellow", "green"])
            #expect(rows.map { $0["nationalId"] as? String } == [World.nationalIDs[1], World.nationalIDs[0]])
            #expect(rows.allSatisfy { ($0["expected"] as? [String]) == ["spo2", "pulse"] })
            #expect(rows.allSatisfy { ($0["overdue"] as? [Any])?.isEmpty == true }, "just enrolled: nothing due yet")
            #expect((reply.object["asOf"] as? String).flatMap(EventDate.parse) != nil)
        }
    }

    @Test("the worklist's rank: a red alert, then any reading alert, then overdue alone, then green")
    func triageOrder() {
        let red = (rule: AlertRule(rawValue: "spo2.low"), severity: Severity.red)
        let yellow = (rule: AlertRule(rawValue: "pulse.high"), severity: Severity.yellow)
        let overdue = (rule: AlertRule(rawValue: "overdue.spo2"), severity: Severity.yellow)
        #expect(WorklistTriage.of(activeAlerts: [overdue, red], overdueKinds: [MeasurementKind]()) == .red)
        #expect(WorklistTriage.of(activeAlerts: [overdue, yellow], overdueKinds: [MeasurementKind.spo2]) == .yellow)
        #expect(WorklistTriage.of(activeAlerts: [overdue], overdueKinds: [MeasurementKind]()) == .overdue)
        #expect(WorklistTriage.of(activeAlerts: [], overdueKinds: [MeasurementKind.pulse]) == .overdue)
        #expect(WorklistTriage.of(activeAlerts: [], overdueKinds: [MeasurementKind]()) == .green)
        #expect(WorklistTriage.allCases.map(\.rank) == [0, 1, 2, 3])
    }
}
