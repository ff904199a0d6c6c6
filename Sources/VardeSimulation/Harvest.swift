import Foundation
import VardeCore
import VardeSimulator

/// Reads back every alert of the run the way an auditor can: each patient's
/// history (`GET /v1/audit/patients/{id}/events`), decoded with the event
/// types the server writes; readings are matched to the run by the event ids
/// the ingest answers gave.
enum Harvest {
    static func alerts(
        fleet: Fleet, roster: Roster, api: APIClient, tokens: TokenDesk, ledger: Ledger, seen: [UUID: Set<Int>], concurrency: Int
    ) async throws -> [ObservedAlert] {
        let auditor = tokens.token(.auditor, teams: [], subject: "sim-auditor")
        let readingOf = ledger.snapshot.readingOfEvent
        var out: [ObservedAlert] = []
        try await forEach(fleet.patients, concurrency: concurrency) { p in
            try await alerts(of: p.index, id: roster.patients[p.index], api: api, auditor: auditor, readingOf: readingOf, seen: seen)
        } collect: {
            out += $0
        }
        return out.sorted { ($0.raisedAt, $0.id.uuidString) < ($1.raisedAt, $1.id.uuidString) }
    }

    static func alerts(
        of patient: Int, id: UUID, api: APIClient, auditor: String, readingOf: [String: Int], seen: [UUID: Set<Int>]
    ) async throws -> [ObservedAlert] {
        var events: [PatientEvent] = []
        var from = 1
        while true {
            let reply = try await api.send(
                .GET, "/v1/audit/patients/\(id.uuidString.lowercased())/events?fromVersion=\(from)", token: auditor, kind: "audit")
            guard reply.status == 200 else { throw SimulationError("reading a history failed: \(reply.status) \(reply.text.prefix(200))") }
            let page = reply.object["events"] as? [[String: Any]] ?? []
            for e in page {
                guard let type = e["type"] as? String, let version = e["schemaVersion"] as? Int, let data = e["data"] else { continue }
                events.append(
                    try PatientEvent.decode(type: type, schemaVersion: version, data: try JSONSerialization.data(withJSONObject: data)))
            }
            guard page.count >= 10_000, let last = page.last?["version"] as? Int else { break }
            from = last + 1
        }
        var alerts: [UUID: ObservedAlert] = [:]
        var order: [UUID] = []
        func reading(_ id: UUID?) -> Int? { id.flatMap { readingOf[$0.uuidString.lowercased()] } }
        for e in events {
            switch e {
            case .alertRaised(let a):
                order.append(a.alertId)
                alerts[a.alertId] = ObservedAlert(
                    id: a.alertId, patient: patient, rule: a.rule, raisedAt: a.at, raisedSeverity: a.severity, severity: a.severity,
                    readings: reading(a.readingId).map { [$0] } ?? [], overdueSince: a.overdueSince, teamsSeen: seen[a.alertId] ?? [])
            case .alertUpdated(let u):
                guard var alert = alerts[u.alertId] else { break }
                alert.severity = max(alert.severity, u.severity)
                if let r = reading(u.readingId) { alert.readings.append(r) }
                alerts[u.alertId] = alert
            default:
                break
            }
        }
        return order.compactMap { alerts[$0] }
    }
}
