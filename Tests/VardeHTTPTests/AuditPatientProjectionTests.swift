import Foundation
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

/// The projection check of `GET /v1/audit/verify?patient=`: that patient's
/// stream replayed with the projector's code and compared with that
/// patient's live rows, as of the live projector's checkpoint.
@Suite("HTTP: per-patient projection check")
struct AuditPatientProjectionTests {
    func verify(_ client: Client, _ w: World, _ patient: UUID) async throws -> [String: Any] {
        let reply = try await client.request(.get, "/v1/audit/verify?patient=\(patient.lower)", token: w.auditor)
        try #require(reply.status == .ok, "verify: \(reply.status) \(reply.text)")
        return reply.object
    }

    func differences(_ report: [String: Any]) -> [[String: Any]] {
        report["projectionDifferences"] as? [[String: Any]] ?? []
    }

    @Test(
        "a corrupted row of the patient is reported by table and key; another patient still passes",
        arguments: [
            "UPDATE patients SET status = 'green' WHERE id = $1::uuid RETURNING id",
            "UPDATE readings SET voided = true WHERE event_id = (SELECT event_id FROM readings WHERE patient_id = $1::uuid ORDER BY position LIMIT 1) RETURNING event_id",
            "UPDATE alerts SET state = 'open' WHERE patient_id = $1::uuid RETURNING id",
            "DELETE FROM alert_feed WHERE ctid = (SELECT ctid FROM alert_feed WHERE patient_id = $1::uuid ORDER BY position DESC LIMIT 1) RETURNING team_id || ' ' || position || '/' || seq",
            "UPDATE device_bindings SET kind = 'scale' WHERE patient_id = $1::uuid RETURNING serial || ' ' || bound_at",
        ])
    func corrupted(sql: String) async throws {
        try await TestApp.run { client in
            let (w, _) = try await AuditVerifyTests.seed(client)
            let other = try await client.patient(w, nationalID: World.nationalIDs[1], serial: "OX-2")
            try await client.settle()
            #expect(differences(try await verify(client, w, w.patient)).isEmpty)
            let table = String(sql.split(separator: " ")[sql.hasPrefix("DELETE") ? 2 : 1])
            let keys = try await client.database.withConnection { c in
                let r = try c.query(sql, [w.patient.lower])
                return (0..<r.rowCount).map { r.string($0, 0)! }
            }
            try #require(keys.count == 1)

            let report = try await verify(client, w, w.patient)
            #expect(report["passed"] as? Bool == false)
            #expect((report["chainBreaks"] as? [Any])?.isEmpty == true)
            #expect((report["alertDifferences"] as? [Any])?.isEmpty == true)
            let found = differences(report)
            #expect(found.map { $0["table"] as? String } == [table], "\(found)")
            let deleted = sql.hasPrefix("DELETE")
            #expect(found.first?["onlyLive"] as? Int == (deleted ? 0 : 1))
            #expect(found.first?["onlyReplayed"] as? Int == 1)
            #expect(found.first?["onlyReplayedKeys"] as? [String] == keys)
            #expect(found.first?["onlyLiveKeys"] as? [String] == (deleted ? [] : keys))

            let clean = try await verify(client, w, other)
            #expect(clean["passed"] as? Bool == true, "\(clean)")
        }
    }

    @Test("a projector behind the log: the patient's rows are compared as of its checkpoint")
    func lagging() async throws {
        try await TestApp.run { client in
            let (w, _) = try await AuditVerifyTests.seed(client)
            // Hold the projector still: it takes this lock before every page.
            let holder = try await client.database.withConnection { _ in try client.database.dedicatedConnection() }
            let held = try await client.database.withConnection { _ in
                try holder.execute("BEGIN")
                return try holder.lockCheckpoint(Projector.subscriptionName)
            }
            // Not `client.post`: that waits for the projector.
            let posted = try await client.request(
                .post, "/v1/readings", token: w.gatewayKey, json: ["readings": [Client.item("v-3", "spo2", 96, offset: 3)]])
            try #require(posted.status == .ok, "\(posted.text)")
            let head = try await client.database.withConnection { try $0.headPosition() }
            try #require(head > held)

            let behind = try await verify(client, w, w.patient)
            #expect(behind["passed"] as? Bool == true, "\(behind)")
            #expect(behind["projectedThrough"] as? Int == Int(held))
            #expect(behind["events"] as? Int == (try await client.history(w.patient, token: w.auditor)).count)

            try await client.database.withConnection { _ in try holder.execute("ROLLBACK") }
            try await client.settle()
            let caughtUp = try await verify(client, w, w.patient)
            #expect(caughtUp["passed"] as? Bool == true, "\(caughtUp)")
            #expect(caughtUp["projectedThrough"] as? Int == Int(head))
        }
    }
}
