import Foundation
import Testing
import VardeStore

/// What an auditor reads: the stream in order, the patient as they stood at
/// any past moment (by time or by position), and how an alert came about.
@Suite("HTTP: audit history and as-of views")
struct AuditHistoryTests {
    /// A reading that raises a yellow alert, a threshold change, an acknowledgement.
    static func story(_ client: Client, _ w: World) async throws -> [AuditEvent] {
        try await client.post(w, [Client.item("h-1", "spo2", 88, offset: 1)])
        let view = try await client.view(w.patient, token: w.clinician)
        var thresholds = try #require(view["thresholds"] as? [String: Any])
        thresholds["spo2Low"] = ["yellow": 90, "red": 86]
        let put = try await client.request(
            .put, "/v1/patients/\(w.patient)/thresholds", token: w.clinician,
            json: ["thresholds": thresholds, "reason": "strammere"])
        try #require(put.status == .ok, "thresholds: \(put.text)")
        let alert = try #require(try await client.drain(w.kommune, token: w.nurse).entries.first?.id)
        #expect(try await client.act("acknowledge", alert, token: w.nurse, note: "ringte").status == .ok)
        try await client.settle()
        return try await client.history(w.patient, token: w.auditor)
    }

    static func first(_ events: [AuditEvent], _ type: String) throws -> AuditEvent {
        let found = events.first { $0.type == type }
        return try #require(found, "no \(type) in \(events.map(\.type))")
    }

    @Test("the history is the stream in order with position, version, hash, actor metadata and the body as stored")
    func history() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let events = try await Self.story(client, w)
            #expect(events.map(\.type).prefix(3) == ["PatientEnrolled", "ThresholdsChanged", "TeamsAssigned"])
            #expect(events.suffix(4).map(\.type) == ["ReadingRecorded", "AlertRaised", "ThresholdsChanged", "AlertAcknowledged"])
            #expect(events.map(\.version) == Array(1...Int64(events.count)))
            #expect(zip(events, events.dropFirst()).allSatisfy { $0.position < $1.position })
            let stored = try await client.storedHashes(w.patient)
            #expect(events.allSatisfy { $0.hash.count == 64 && stored[$0.version] == $0.hash })
            #expect(Set(events.map(\.eventId)).count == events.count)
            #expect(try Self.first(events, "PatientEnrolled").actor == "clinician-1")
            #expect(try Self.first(events, "PatientEnrolled").role == "clinician")
            #expect(try Self.first(events, "ReadingRecorded").role == "gateway")
            #expect(try Self.first(events, "AlertAcknowledged").actor == "nurse-1")
            #expect(try Self.first(events, "AlertAcknowledged").data["note"] as? String == "ringte")
            #expect(events.last { $0.type == "ThresholdsChanged" }?.data["version"] as? String == "2")
            #expect(events.allSatisfy { Client.instant($0.recordedAt) != nil })

            let middle = try await client.history(w.patient, token: w.auditor, query: "fromVersion=2&toVersion=4")
            #expect(middle.map(\.version) == [2, 3, 4])
            #expect(middle.map(\.eventId) == events[1...3].map(\.eventId))
            let tail = try await client.history(w.patient, token: w.auditor, query: "fromVersion=\(events.count - 1)")
            #expect(tail.map(\.type) == ["ThresholdsChanged", "AlertAcknowledged"])

            let reading = try Self.first(events, "ReadingRecorded")
            let since = try await client.history(w.patient, token: w.auditor, query: "from=\(reading.recordedAt)")
            #expect(since.map(\.type) == ["ReadingRecorded", "AlertRaised", "ThresholdsChanged", "AlertAcknowledged"])
            let until = try await client.history(w.patient, token: w.auditor, query: "to=\(reading.recordedAt)")
            #expect(until.map(\.version) == Array(1...reading.version + 1))  // the alert was recorded with its reading

            #expect(try await client.request(.get, "/v1/audit/patients/\(UUID())/events", token: w.auditor).status == .notFound)
            #expect(
                try await client.request(.get, "/v1/audit/patients/\(w.patient)/events?from=yesterday", token: w.auditor).status
                    == .unprocessableContent)
        }
    }

    @Test("a past view differs from today's exactly as the events in between say, by position and by time")
    func asOf() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let events = try await Self.story(client, w)
            let reading = try Self.first(events, "ReadingRecorded")
            let raised = try Self.first(events, "AlertRaised")
            let changed = try #require(events.last { $0.type == "ThresholdsChanged" })
            let acked = try Self.first(events, "AlertAcknowledged")
            let before = try #require(events.first { $0.version == reading.version - 1 })

            for key in ["position", "at"] {
                func view(_ e: AuditEvent) async throws -> [String: Any] {
                    try await client.pastView(
                        w.patient, token: w.auditor, key == "position" ? "position=\(e.position)" : "at=\(e.recordedAt)")
                }
                let v0 = try await view(before)
                #expect(v0.asOfVersion == before.version, "\(key)")
                #expect(v0.latest["spo2"] == nil, "\(key): no reading yet")
                #expect(v0.alerts.isEmpty, "\(key)")
                #expect(v0["thresholdVersion"] as? Int == 1, "\(key)")
                #expect((v0["devices"] as? [Any])?.count == 1, "\(key)")

                let v1 = try await view(raised)
                #expect(v1.asOfVersion == raised.version, "\(key)")
                #expect(
                    (v1.latest["spo2"] as? [String: Any])?["readingId"] as? String == (reading.data["readingId"] as? String)?.lowercased(),
                    "\(key)")
                #expect(v1.alerts.map { $0["state"] as? String } == ["open"], "\(key)")
                #expect(v1.alerts.first?["acknowledged"] == nil, "\(key)")
                #expect(v1["status"] as? String == "yellow", "\(key)")
                #expect(v1["thresholdVersion"] as? Int == 1, "\(key)")
                #expect(((v1["thresholds"] as? [String: Any])?["spo2Low"] as? [String: Any])?["yellow"] as? Int == 89, "\(key)")

                let v2 = try await view(changed)
                #expect(v2["thresholdVersion"] as? Int == 2, "\(key)")
                #expect(((v2["thresholds"] as? [String: Any])?["spo2Low"] as? [String: Any])?["yellow"] as? Int == 90, "\(key)")
                #expect(v2.alerts.map { $0["state"] as? String } == ["open"], "\(key)")

                let v3 = try await view(acked)
                #expect(v3.asOfVersion == acked.version, "\(key)")
                #expect(v3.alerts.map { $0["state"] as? String } == ["acknowledged"], "\(key)")
                let by = (v3.alerts.first?["acknowledged"] as? [String: Any])?["by"] as? [String: Any]
                #expect(by?["subject"] as? String == "nurse-1", "\(key)")
            }

            // The newest past view is today's view.
            let today = try await client.view(w.patient, token: w.nurse)
            let now = try await client.pastView(w.patient, token: w.auditor, "at=\(World.time(60))")
            #expect(now.asOfVersion == acked.version)
            // The pure replay and the read models agree on everything both show, value for value.
            for field in [
                "status", "thresholdVersion", "kommunenummer", "program", "routing", "teams", "thresholds", "devices",
                "latest", "recent", "dischargedAt",
            ] {
                func canonical(_ value: Any?) throws -> String {
                    String(
                        decoding: try JSONSerialization.data(withJSONObject: value ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed]),
                        as: UTF8.self)
                }
                let (live, replayed) = (try canonical(today[field]), try canonical(now[field]))
                #expect(live == replayed, "\(field): live \(live) vs replayed \(replayed)")
            }
            #expect((today["devices"] as? [Any])?.isEmpty == false)
            #expect((today["latest"] as? [String: Any])?.isEmpty == false)
            func alerts(_ list: Any?) -> [String] {
                (list as? [[String: Any]] ?? []).map {
                    "\($0["id"] ?? "") \($0["rule"] ?? "") \($0["severity"] ?? "") \($0["state"] ?? "")"
                }
            }
            #expect(alerts(today["openAlerts"]) == alerts(now["openAlerts"]))
            #expect(!alerts(today["openAlerts"]).isEmpty)

            // Before the patient existed there is nothing to show.
            let none = try await client.pastView(w.patient, token: w.auditor, "at=2000-01-01T00:00:00Z")
            #expect(none.asOfVersion == 0)
            for bad in ["", "at=\(World.time())&position=1", "position=x", "at=yesterday"] {
                let reply = try await client.request(.get, "/v1/audit/patients/\(w.patient)/view?\(bad)", token: w.auditor)
                #expect(reply.status == .unprocessableContent, "\(bad): \(reply.status)")
            }
            #expect(try await client.request(.get, "/v1/audit/patients/\(UUID())/view?position=1", token: w.auditor).status == .notFound)
        }
    }

    @Test("an alert's explanation: the reading, rule, threshold version and values, and every later step with who")
    func explanation() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            try await client.post(w, [Client.item("e-1", "spo2", 88, offset: 1)])
            try await client.post(w, [Client.item("e-2", "spo2", 84, offset: 2)])
            let alert = try #require(try await client.drain(w.kommune, token: w.nurse).entries.first?.id)
            #expect(try await client.act("acknowledge", alert, token: w.nurse, note: "ringte").status == .ok)
            #expect(try await client.act("escalate", alert, token: w.nurse).status == .ok)
            #expect(try await client.act("resolve", alert, token: w.sykehusNurse, note: "stabil").status == .ok)
            let history = try await client.history(w.patient, token: w.auditor)

            let reply = try await client.request(.get, "/v1/audit/alerts/\(alert)/explanation", token: w.auditor)
            try #require(reply.status == .ok, "\(reply.text)")
            let x = reply.object
            #expect(x["alertId"] as? String == alert)
            #expect(x["patientId"] as? String == w.patient.lower)
            #expect(x["rule"] as? String == "spo2.low")
            #expect(x["measurement"] as? String == "spo2")
            #expect(x["severity"] as? String == "yellow")
            #expect(x["value"] as? Double == 88)
            #expect(x["limit"] as? Double == 89)
            #expect(x["thresholdVersion"] as? Int == 1)

            let raised = AuditEvent(x["raised"] as? [String: Any] ?? [:])
            #expect(raised.type == "AlertRaised")
            #expect(raised.eventId == history.first { $0.type == "AlertRaised" }?.eventId)
            let reading = AuditEvent(x["reading"] as? [String: Any] ?? [:])
            #expect(reading.type == "ReadingRecorded")
            #expect(reading.eventId == (raised.data["readingId"] as? String)?.lowercased())
            #expect(reading.role == "gateway")
            let thresholds = x["thresholds"] as? [String: Any] ?? [:]
            #expect(AuditEvent(thresholds).type == "ThresholdsChanged")
            let values = (thresholds["data"] as? [String: Any])?["thresholds"] as? [String: Any]
            #expect((values?["spo2Low"] as? [String: Any])?["yellow"] as? Int == 89)

            let steps = (x["steps"] as? [[String: Any]] ?? []).map(AuditEvent.init)
            #expect(steps.map(\.type) == ["AlertUpdated", "AlertAcknowledged", "AlertEscalated", "AlertResolved"])
            #expect(steps.map(\.actor) == ["gateway:\(w.gateway.lower)", "nurse-1", "nurse-1", "nurse-sykehus"])
            #expect(steps.map(\.role) == ["gateway", "nurse", "nurse", "nurse"])
            #expect(steps[0].data["severity"] as? String == "red")
            #expect(
                steps.map(\.version)
                    == history.filter { ["AlertUpdated", "AlertAcknowledged", "AlertEscalated", "AlertResolved"].contains($0.type) }.map(
                        \.version))

            #expect(try await client.request(.get, "/v1/audit/alerts/\(UUID())/explanation", token: w.auditor).status == .notFound)
        }
    }
}
