import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// The nurses' side: a team's alert feed (long poll), its worklist, and
/// acknowledging, escalating and resolving alerts.
struct AlertController {
    let services: AppServices

    struct Action: Decodable { var note: String? }

    func register(_ routes: RouteTable) {
        let guardian = routes.guardian
        routes.on(.get, "/v1/teams/{teamId}/alerts", .readTeamAlerts) { request, context, caller in
            let team = try context.parameters.uuid("teamId")
            try guardian.team(team, for: caller)
            let query = request.uri.queryParameters
            let after = try query.get("after").map { try FeedCursor(text: $0) } ?? FeedCursor(position: 0, seq: -1)
            let limit = min(max(query.get("limit").flatMap(Int.init) ?? 100, 1), 500)
            let wait = min(max(query.get("wait").flatMap(Double.init) ?? 0, 0), 60)
            let page = try await AlertFeedReader(services: services).page(team: team, after: after, limit: limit, wait: wait)
            try await guardian.logReads(Set(page.patients).sorted { $0.uuidString < $1.uuidString }.map {
                guardian.entry(caller, .readTeamAlerts, patient: $0, request: request, context: context)
            })
            return JSONResponse.raw(page.json)
        }

        routes.on(.get, "/v1/teams/{teamId}/patients", .readWorklist) { request, context, caller in
            let team = try context.parameters.uuid("teamId")
            try guardian.team(team, for: caller)
            let rows = try await services.database.withConnection { c in
                let r = try c.query("""
                    SELECT p.id, \(PatientQueries.summaryColumns)::text FROM patients p
                    WHERE (p.kommune_team = $1 OR p.sykehus_team = $1) AND p.discharged_at IS NULL
                    ORDER BY CASE p.status WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, p.enrolled_at, p.id
                    """, [team])
                return (0..<r.rowCount).map { (UUID(uuidString: r.string($0, 0)!)!, r.string($0, 1)!) }
            }
            try await guardian.logReads(rows.map { guardian.entry(caller, .readWorklist, patient: $0.0, request: request, context: context) })
            return JSONResponse.raw(#"{"patients":["# + rows.map(\.1).joined(separator: ",") + "]}")
        }

        for (path, operation) in [("acknowledge", Operation.acknowledgeAlert), ("escalate", .escalateAlert), ("resolve", .resolveAlert)] {
            routes.on(.post, "/v1/alerts/{alertId}/\(path)", operation) { request, context, caller in
                let alertID = try context.parameters.uuid("alertId")
                let body = try await Self.optionalBody(request)
                let patient = try await services.database.withConnection { c in
                    try c.query("SELECT patient_id FROM alerts WHERE id = $1", [alertID]).string(0, 0).flatMap(UUID.init(uuidString:))
                }
                guard let patient else { throw Problem.notFound("alert") }
                _ = try await guardian.patient(patient, for: caller, asking: "alert")
                let command: PatientCommand = switch operation {
                case .acknowledgeAlert: .acknowledgeAlert(alertID, note: body.note)
                case .escalateAlert: .escalateAlert(alertID, note: body.note)
                default: .resolveAlert(alertID, note: body.note)
                }
                let entry = guardian.entry(caller, operation, patient: patient, request: request, context: context)
                let (_, _, position) = try await services.patients.execute(
                    patient, command, context: guardian.decisionContext(caller), metadata: guardian.metadata(caller, context: context)
                ) { try $0.logAccess([entry]) }
                await services.awaitProjection(position)
                let json = try await services.database.withConnection { c in
                    try c.query("SELECT alert::text FROM alerts WHERE id = $1", [alertID]).string(0, 0)
                }
                return JSONResponse.raw(json ?? "{}")
            }
        }
    }

    /// The note is optional, and so is the body.
    static func optionalBody(_ request: Request) async throws -> Action {
        guard request.headers[.contentType] != nil else { return Action(note: nil) }
        return try await RequestBody.decode(Action.self, from: request, limit: 64 * 1024)
    }
}
