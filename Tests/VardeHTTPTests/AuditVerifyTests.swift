import Foundation
import Testing
import VardeCore
import VardeHTTP
import VardeStore
import VardeTestSupport

/// Proving the record: the verify endpoint and the whole-log verification
/// find altered and missing events and corrupted read models; an export
/// carries everything needed to recompute the hash chain.
@Suite("HTTP: audit verification and export")
struct AuditVerifyTests {
    /// The world with a red alert (its sykehus team in the feed) and an acknowledgement.
    static func seed(_ client: Client) async throws -> (World, alert: String) {
        let w = try await World.make(client)
        try await client.post(w, [Client.item("v-1", "spo2", 95, offset: 1), Client.item("v-2", "spo2", 84, offset: 2)])
        let alert = try #require(try await client.drain(w.kommune, token: w.nurse).entries.first?.id)
        #expect(try await client.act("acknowledge", alert, token: w.nurse).status == .ok)
        try await client.settle()
        return (w, alert)
    }

    func verify(_ client: Client, _ w: World, patient: UUID? = nil) async throws -> [String: Any] {
        let reply = try await client.request(.get, "/v1/audit/verify?patient=\((patient ?? w.patient).lower)", token: w.auditor)
        try #require(reply.status == .ok, "verify: \(reply.status) \(reply.text)")
        return reply.object
    }

    func breaks(_ report: [String: Any]) -> [String] {
        (report["chainBreaks"] as? [[String: Any]] ?? []).map {
            "\($0["stream"] ?? "-") \($0["version"] ?? "-") \($0["eventId"] ?? "-") \($0["kind"] ?? "-")"
        }
    }

    func wholeLog(_ client: Client) async throws -> Verification.Report {
        try await Verification(database: client.database, logger: TestDatabase.logger).run()
    }

    @Test("an intact log verifies clean: per patient over HTTP, and the whole log with the projection replay")
    func clean() async throws {
        try await TestApp.run { client in
            let (w, _) = try await Self.seed(client)
            let other = try await client.patient(w, nationalID: World.nationalIDs[1], serial: "OX-2")
            let report = try await verify(client, w)
            #expect(report["passed"] as? Bool == true, "\(report)")
            #expect(report["streams"] as? Int == 1)
            #expect(report["events"] as? Int == (try await client.history(w.patient, token: w.auditor)).count)
            // One patient gets the projection check too, as of the projector's checkpoint, and the stream's head.
            #expect((report["projectionDifferences"] as? [Any])?.isEmpty == true, "\(report)")
            #expect(report["projectedThrough"] as? Int ?? 0 > 0)
            let history = try await client.history(w.patient, token: w.auditor)
            let heads = (report["heads"] as? [String: Any])?["streams"] as? [[String: Any]] ?? []
            #expect(heads.count == 1)
            #expect(heads.first?["version"] as? Int == history.last.map { Int($0.version) })
            #expect(heads.first?["hash"] as? String == history.last?.hash)
            #expect(try await verify(client, w, patient: other)["passed"] as? Bool == true)

            let all = try await wholeLog(client)
            #expect(all.passed, "\(all.chainBreaks) \(all.projectionDifferences ?? []) \(all.alertDifferences)")
            #expect(all.projectionDifferences == [])
            #expect(all.streams >= 2)
            #expect(try await client.request(.get, "/v1/audit/verify?patient=\(UUID())", token: w.auditor).status == .notFound)
            #expect(try await client.request(.get, "/v1/audit/verify?patient=nope", token: w.auditor).status == .unprocessableContent)
        }
    }

    @Test("an altered event is named by stream, version and event id; a deleted one as the gap")
    func tampered() async throws {
        try await TestApp.run { client in
            let (w, _) = try await Self.seed(client)
            let other = try await client.patient(w, nationalID: World.nationalIDs[1], serial: "OX-2")
            let stream = "patient-\(w.patient.lower)"
            let reading = try #require(try await client.history(w.patient, token: w.auditor).first { $0.type == "ReadingRecorded" })
            try await client.tamper(
                """
                UPDATE events SET data = jsonb_set(data, '{value,value}', '97') WHERE stream_id = $1 AND version = \(reading.version)
                """, [stream])
            let altered = try await verify(client, w)
            #expect(altered["passed"] as? Bool == false)
            #expect(breaks(altered) == ["\(stream) \(reading.version) \(reading.eventId) altered"])
            #expect(try await verify(client, w, patient: other)["passed"] as? Bool == true)
            let all = try await wholeLog(client)
            #expect(!all.passed)
            #expect(all.chainBreaks.map(\.stream) == [stream])
            #expect(all.chainBreaks.first?.eventId == reading.eventId)

            let ack = try #require(try await client.history(w.patient, token: w.auditor).first { $0.type == "AlertAcknowledged" })
            let otherStream = "patient-\(other.lower)"
            try await client.tamper("DELETE FROM events WHERE stream_id = $1 AND version = 2", [otherStream])
            let gap = try await verify(client, w, patient: other)
            #expect(gap["passed"] as? Bool == false)
            #expect(breaks(gap) == ["\(otherStream) 2 - gap"])
            // The first patient's report is unchanged by the second's damage.
            #expect(breaks(try await verify(client, w)) == ["\(stream) \(reading.version) \(reading.eventId) altered"])
            #expect(ack.version > reading.version)
        }
    }

    @Test("a deleted first event is named as the gap at version 1, and the rest of the history still answers")
    func deletedFirst() async throws {
        try await TestApp.run { client in
            let (w, _) = try await Self.seed(client)
            let stream = "patient-\(w.patient.lower)"
            let before = try await client.history(w.patient, token: w.auditor)
            try await client.tamper("DELETE FROM events WHERE stream_id = $1 AND version = 1", [stream])
            let report = try await verify(client, w)
            #expect(report["passed"] as? Bool == false)
            #expect(breaks(report) == ["\(stream) 1 - gap"])
            let after = try await client.history(w.patient, token: w.auditor)
            #expect(after.map(\.version) == before.dropFirst().map(\.version))
            #expect(after.first?.version == 2)
        }
    }

    @Test(
        "a corrupted read model is reported by table",
        arguments: [
            "UPDATE patients SET status = 'green' WHERE id = $1::uuid",
            "DELETE FROM alert_feed WHERE ctid = (SELECT ctid FROM alert_feed WHERE patient_id = $1::uuid ORDER BY position DESC LIMIT 1)",
            "UPDATE alerts SET state = 'open' WHERE patient_id = $1::uuid",
        ])
    func projections(sql: String) async throws {
        try await TestApp.run { client in
            let (w, _) = try await Self.seed(client)
            let table = String(sql.split(separator: " ")[sql.hasPrefix("DELETE") ? 2 : 1])
            let before = try await wholeLog(client)
            #expect(before.projectionDifferences == [], "\(before.projectionDifferences ?? [])")
            let changed = try await client.database.withConnection { try $0.query(sql + " RETURNING 1", [w.patient.lower]).rowCount }
            try #require(changed == 1)
            let after = try await wholeLog(client)
            #expect(!after.passed)
            #expect(after.chainBreaks.isEmpty && after.alertDifferences.isEmpty)
            let differences = after.projectionDifferences ?? []
            #expect(differences.map(\.table) == [table], "\(differences)")
            #expect(differences.first.map { $0.onlyLive + $0.onlyReplayed } == (sql.hasPrefix("DELETE") ? 1 : 2))
            #expect(differences.first?.onlyReplayed == 1)
            // The differing rows are named by primary key: the row as replayed, and as it is live (unless deleted).
            #expect(differences.first?.onlyReplayedKeys.count == 1)
            #expect(differences.first?.onlyLiveKeys == (sql.hasPrefix("DELETE") ? [] : differences.first?.onlyReplayedKeys))
            if table == "patients" { #expect(differences.first?.onlyReplayedKeys == [w.patient.lower]) }
        }
    }

    @Test("a tampered alert decision is reported by the alert replay")
    func alertDifference() async throws {
        try await TestApp.run { client in
            let (w, _) = try await Self.seed(client)
            let stream = "patient-\(w.patient.lower)"
            let raised = try #require(try await client.history(w.patient, token: w.auditor).first { $0.type == "AlertRaised" })
            try await client.tamper(
                "UPDATE events SET data = jsonb_set(data, '{severity}', '\"yellow\"') WHERE stream_id = $1 AND version = \(raised.version)",
                [stream])
            let report = try await verify(client, w)
            let differences = report["alertDifferences"] as? [[String: Any]] ?? []
            #expect(differences.map { "\($0["stream"] ?? "-") \($0["version"] ?? "-")" } == ["\(stream) \(raised.version)"])
            #expect(breaks(report) == ["\(stream) \(raised.version) \(raised.eventId) altered"])
        }
    }
}
