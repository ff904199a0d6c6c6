import Foundation
import Hummingbird
import Testing
import VardeStore

@Suite("Access log")
struct AccessLogTests {
    /// One request of the scenario and the entry it must leave.
    struct Expected: CustomStringConvertible {
        var subject: String
        var role: String
        var action: String
        var description: String { "\(role) \(subject) \(action)" }
    }

    @Test("every data-returning request and every change leaves an entry with subject, role, teams, patient, action and request id")
    func everyRequestIsLogged() async throws {
        try await TestApp.run { client in
            let s = try await AccessScenario.make(client)  // enrol, bind, post a reading, feed, view
            let w = s.world
            let p = w.patient
            #expect(try await client.request(.get, "/v1/patients/\(p)/readings", token: w.nurse).status == .ok)
            #expect(try await client.request(.get, "/v1/teams/\(w.kommune)/patients", token: w.nurse).status == .ok)
            #expect(
                try await client.request(.post, "/v1/patients/search", token: w.nurse, json: ["nationalId": World.nationalIDs[0]]).status
                    == .ok)
            #expect(try await client.request(.get, "/fhir/Observation?patient=Patient/\(p)", token: w.nurse).status == .ok)
            #expect(
                try await client.request(.post, "/v1/alerts/\(s.alertID)/acknowledge", token: w.nurse, json: ["note": "ringer"]).status
                    == .ok)
            #expect(
                try await client.request(.post, "/v1/readings/\(s.readingID)/void", token: w.nurse, json: ["reason": "feil"]).status == .ok)
            #expect(try await client.request(.get, "/v1/audit/access?patient=\(p)", token: w.auditor).status == .ok)

            let gateway = "gateway:\(w.gateway.uuidString.lowercased())"
            let expected = [
                Expected(subject: "clinician-1", role: "clinician", action: "enrollPatient"),
                Expected(subject: "clinician-1", role: "clinician", action: "bindDevice"),
                Expected(subject: gateway, role: "gateway", action: "postReadings"),
                Expected(subject: "nurse-1", role: "nurse", action: "readTeamAlerts"),
                Expected(subject: "clinician-1", role: "clinician", action: "readPatient"),
                Expected(subject: "nurse-1", role: "nurse", action: "readReadings"),
                Expected(subject: "nurse-1", role: "nurse", action: "readWorklist"),
                Expected(subject: "nurse-1", role: "nurse", action: "searchPatients"),
                Expected(subject: "nurse-1", role: "nurse", action: "searchFHIRObservations"),
                Expected(subject: "nurse-1", role: "nurse", action: "acknowledgeAlert"),
                Expected(subject: "nurse-1", role: "nurse", action: "voidReading"),
                Expected(subject: "auditor-1", role: "auditor", action: "auditAccessLog"),
            ]
            let rows = try await client.accessLog()
            for e in expected {
                let matches = rows.filter { $0.subject == e.subject && $0.role == e.role && $0.action == e.action && $0.patient == p }
                #expect(matches.count == 1, "\(e): \(matches.count) entries")
                #expect(
                    matches.allSatisfy { !$0.requestID.isEmpty && ($0.route.hasPrefix("GET /") || $0.route.hasPrefix("POST /")) }, "\(e)")
            }
            #expect(rows.count == expected.count, "\(rows.map(\.action))")
            #expect(Set(rows.map(\.requestID)).count == rows.count, "each request has its own id")
            // Teams are recorded; a change's entry carries the request id of its events.
            #expect(
                try await client.count(
                    """
                    SELECT count(*) FROM access_log WHERE subject = 'nurse-1' AND teams <> ARRAY[$1::uuid]
                    """, [w.kommune.uuidString]) == 0)
            #expect(
                try await client.count(
                    """
                    SELECT count(*) FROM access_log a WHERE a.role <> 'auditor' AND a.action NOT LIKE 'read%' AND a.action NOT LIKE 'search%'
                      AND NOT EXISTS (SELECT 1 FROM events e WHERE e.metadata->>'requestID' = a.request_id
                                      AND e.stream_id = 'patient-' || a.patient_id::text)
                    """) == 0)
        }
    }

    @Test("a refused read of a patient is logged as an attempt with its outcome; other failures write nothing")
    func refusedReadsAreAttempts() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            let before = try await client.accessLog()
            #expect(try await client.request(.get, "/v1/patients/\(w.patient)", token: w.otherNurse).status == .notFound)
            #expect(try await client.request(.get, "/v1/patients/\(UUID())", token: w.nurse).status == .notFound)
            #expect(try await client.request(.get, "/v1/patients/\(w.patient)/readings", token: w.otherClinician).status == .notFound)
            #expect(
                try await client.request(.get, "/v1/patients/\(w.patient)/readings?kind=nope", token: w.nurse).status
                    == .unprocessableContent)
            #expect(try await client.request(.get, "/v1/teams/\(w.kommune)/patients", token: w.otherNurse).status == .notFound)
            #expect(
                try await client.request(.get, "/fhir/Observation?patient=Patient/\(w.patient)", token: w.otherNurse).status == .notFound)
            #expect(try await client.request(.get, "/v1/patients/\(w.patient)", token: w.admin).status == .forbidden)
            let added = Array(try await client.accessLog().dropFirst(before.count))
            #expect(
                added.map { "\($0.action) \($0.outcome)" } == [
                    "readPatient denied", "readReadings denied", "searchFHIRObservations denied", "readPatient forbidden",
                ])
            #expect(added.allSatisfy { $0.patient == w.patient })
        }
    }

    @Test("the access log is append-only: UPDATE, DELETE and TRUNCATE fail")
    func appendOnly() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            _ = try await client.request(.get, "/v1/patients/\(w.patient)", token: w.nurse)
            let before = try await client.accessLog()
            #expect(!before.isEmpty)
            for sql in [
                "UPDATE access_log SET subject = 'someone-else'", "DELETE FROM access_log",
                "DELETE FROM access_log WHERE subject = 'nurse-1'", "TRUNCATE access_log",
            ] {
                await #expect(throws: PGError.self, "\(sql)") {
                    try await client.database.withConnection { try $0.execute(sql) }
                }
            }
            #expect(try await client.accessLog() == before)
        }
    }

    @Test("auditors read the log through the API, filtered and paged oldest first; other roles get 403")
    func auditorEndpoint() async throws {
        try await TestApp.run { client in
            let w = try await World.make(client)
            for _ in 0..<3 { _ = try await client.request(.get, "/v1/patients/\(w.patient)", token: w.nurse) }
            for token in [w.nurse, w.clinician, w.admin, w.gatewayKey] {
                #expect(try await client.request(.get, "/v1/audit/access", token: token).status == .forbidden)
            }
            #expect(try await client.request(.get, "/v1/audit/access").status == .unauthorized)
            for bad in ["patient=nope", "limit=0", "limit=5000", "from=yesterday", "after=xyz"] {
                #expect(
                    try await client.request(.get, "/v1/audit/access?\(bad)", token: w.auditor).status == .unprocessableContent, "\(bad)")
            }

            // All of the nurse's entries, two at a time (entries of open transactions may need another poll).
            var entries: [[String: Any]] = []
            var after: String?
            for _ in 0..<50 {
                let query = "subject=nurse-1&limit=2" + (after.map { "&after=\($0)" } ?? "")
                let page = try await client.request(.get, "/v1/audit/access?\(query)", token: w.auditor)
                #expect(page.status == .ok)
                let items = page.object["entries"] as? [[String: Any]] ?? []
                #expect(items.count <= 2)
                entries += items
                after = page.object["next"] as? String
                if entries.count >= 4 { break }
                if items.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
            }
            // Three reads, then her refused attempt at the access log.
            #expect(entries.count == 4)
            #expect(
                entries.map { "\($0["action"] as? String ?? "") \($0["outcome"] as? String ?? "")" } == [
                    "readPatient allowed", "readPatient allowed", "readPatient allowed", "auditAccessLog forbidden",
                ])
            #expect(entries.allSatisfy { $0["subject"] as? String == "nurse-1" && $0["role"] as? String == "nurse" })
            #expect(entries.prefix(3).allSatisfy { $0["patientId"] as? String == w.patient.uuidString.lowercased() })
            #expect(entries.allSatisfy { ($0["requestId"] as? String)?.isEmpty == false })
            let times = entries.compactMap { $0["at"] as? String }
            #expect(times == times.sorted() && times.count == 4, "oldest first")
            let ids = entries.compactMap { ($0["id"] as? String).flatMap(Int.init) }
            #expect(Set(ids).count == 4)

            // The page after the last one is empty and keeps the cursor.
            let end = try await client.request(.get, "/v1/audit/access?subject=nurse-1&after=\(after ?? "")", token: w.auditor)
            #expect((end.object["entries"] as? [Any])?.isEmpty == true)
            #expect(end.object["next"] as? String == after)

            // Filters by patient and time; reading the log is itself logged.
            let stranger = UUID()
            let other = try await client.request(.get, "/v1/audit/access?patient=\(stranger)", token: w.auditor)
            let own = other.object["entries"] as? [[String: Any]] ?? []
            #expect(
                own.allSatisfy {
                    $0["patientId"] as? String == stranger.uuidString.lowercased() && $0["action"] as? String == "auditAccessLog"
                })
            let future = try await client.request(.get, "/v1/audit/access?from=2999-01-01T00:00:00Z", token: w.auditor)
            #expect((future.object["entries"] as? [Any])?.isEmpty == true)
            let past = try await client.request(.get, "/v1/audit/access?to=2000-01-01T00:00:00Z", token: w.auditor)
            #expect((past.object["entries"] as? [Any])?.isEmpty == true)
            let audits = try await client.accessLog().filter { $0.action == "auditAccessLog" && $0.outcome == "allowed" }
            #expect(audits.count >= 5 && audits.allSatisfy { $0.subject == "auditor-1" && $0.role == "auditor" })
        }
    }
}
