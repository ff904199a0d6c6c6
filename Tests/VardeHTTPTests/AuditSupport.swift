import Foundation
import Testing
import VardeStore

/// One event as `GET /v1/audit/patients/{id}/events` returns it.
struct AuditEvent: Sendable {
    var position: Int64
    var version: Int64
    var eventId: String
    var type: String
    var recordedAt: String
    var hash: String
    var actor: String?
    var role: String?
    var data: [String: any Sendable]

    init(_ o: [String: Any]) {
        position = (o["position"] as? NSNumber)?.int64Value ?? -1
        version = (o["version"] as? NSNumber)?.int64Value ?? -1
        eventId = o["eventId"] as? String ?? ""
        type = o["type"] as? String ?? ""
        recordedAt = o["recordedAt"] as? String ?? ""
        hash = o["hash"] as? String ?? ""
        let metadata = o["metadata"] as? [String: Any] ?? [:]
        actor = metadata["actor"] as? String
        role = metadata["role"] as? String
        data = (o["data"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
    }
}

/// The audit endpoints, read as an auditor.
extension Client {
    func history(_ patient: UUID, token: String, query: String = "") async throws -> [AuditEvent] {
        let reply = try await request(.get, "/v1/audit/patients/\(patient.lower)/events" + (query.isEmpty ? "" : "?" + query), token: token)
        try #require(reply.status == .ok, "history: \(reply.status) \(reply.text)")
        #expect(reply.object["patientId"] as? String == patient.lower)
        return (reply.object["events"] as? [[String: Any]] ?? []).map(AuditEvent.init)
    }

    /// The past view for `query` (`at=…` or `position=…`).
    func pastView(_ patient: UUID, token: String, _ query: String) async throws -> [String: Any] {
        let escaped = query.replacingOccurrences(of: "+", with: "%2B")
        let reply = try await request(.get, "/v1/audit/patients/\(patient.lower)/view?\(escaped)", token: token)
        try #require(reply.status == .ok, "view \(query): \(reply.status) \(reply.text)")
        return reply.object
    }

    /// The stored hash of each event of a stream, hex, by version.
    func storedHashes(_ patient: UUID) async throws -> [Int64: String] {
        try await database.withConnection { c in
            let r = try c.query("SELECT version, encode(hash, 'hex') FROM events WHERE stream_id = $1", ["patient-\(patient.lower)"])
            return Dictionary(uniqueKeysWithValues: (0..<r.rowCount).map { (r.int($0, 0)!, r.string($0, 1)!) })
        }
    }

    /// Runs `sql` on the events table behind the append-only guard, as its owner can.
    func tamper(_ sql: String, _ parameters: [String] = []) async throws {
        try await database.withConnection { c in
            try c.execute("ALTER TABLE events DISABLE TRIGGER events_no_update_delete")
            _ = try c.query(sql, parameters)
            try c.execute("ALTER TABLE events ENABLE TRIGGER events_no_update_delete")
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// `view["alerts"]` as objects.
    var alerts: [[String: Any]] { self["alerts"] as? [[String: Any]] ?? [] }
    var latest: [String: Any] { self["latest"] as? [String: Any] ?? [:] }
    var asOfVersion: Int64? { ((self["asOf"] as? [String: Any])?["version"] as? NSNumber)?.int64Value }
}
