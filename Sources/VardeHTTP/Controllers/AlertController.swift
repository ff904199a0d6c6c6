import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// The nurses' side: a team's alert feed (long poll), its worklist, and
/// acknowledging, escalating and resolving alerts.
struct AlertController {
    let services: AppServices
    let guardian: Guard

    struct Action: Decodable { var note: String? }

    func register(_ routes: RouteTable) {
        routes.on(.get, "/v1/teams/{teamId}/alerts", .readTeamAlerts, feed)
        routes.on(.get, "/v1/teams/{teamId}/patients", .readWorklist, worklist)
        routes.on(.post, "/v1/alerts/{alertId}/acknowledge", .acknowledgeAlert) { try await step($0, $1, $2, .acknowledgeAlert) }
        routes.on(.post, "/v1/alerts/{alertId}/escalate", .escalateAlert) { try await step($0, $1, $2, .escalateAlert) }
        routes.on(.post, "/v1/alerts/{alertId}/resolve", .resolveAlert) { try await step($0, $1, $2, .resolveAlert) }
    }

    @Sendable func feed(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let team = try context.parameters.uuid("teamId")
        try guardian.team(team, for: caller)
        let query = request.uri.queryParameters
        let after = try query.get("after").map { try FeedCursor(text: $0) } ?? FeedCursor(position: 0, seq: -1)
        let limit = try query.integer("limit", in: 1...500, default: 100)
        let wait = try query.seconds("wait", in: 0...60, default: 0)
        let reader = AlertFeedReader(services: services)
        let access = guardian.access(caller, .readTeamAlerts, request, context)
        guard wait > 0 else {
            return try JSONResponse.make(try await reader.page(team: team, after: after, limit: limit, wait: 0, access: access))
        }
        guard services.polls.enter(caller.subject) else { throw Problem.tooManyPolls }
        defer { services.polls.leave(caller.subject) }
        return try JSONResponse.make(try await reader.page(team: team, after: after, limit: limit, wait: wait, access: access))
    }

    @Sendable func worklist(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let team = try context.parameters.uuid("teamId")
        try guardian.team(team, for: caller)
        let access = guardian.access(caller, .readWorklist, request, context)
        let rows = try await services.database.read { s in
            let rows = try s.worklistRows(team: team)
            try s.logAccess(rows.map { access.entry($0.id) })
            return rows
        }
        return try JSONResponse.make(WorklistBody(rows, now: services.now))
    }

    /// Acknowledge, escalate or resolve: answered with the alert as the
    /// command left it (from the command's own state, no read back).
    func step(_ request: Request, _ context: AppContext, _ caller: Caller, _ operation: Operation) async throws -> Response {
        let alertID = try context.parameters.uuid("alertId")
        let body = try await Self.optionalBody(request)
        let (guardian, access) = (guardian, guardian.access(caller, operation, request, context))
        let patient = try await services.database.read {
            try guardian.patient($0.alertScope(alertID), for: caller, asking: "alert", in: $0, logging: access)
        }
        let command: PatientCommand =
            switch operation {
            case .acknowledgeAlert: .acknowledgeAlert(alertID, note: body.note)
            case .escalateAlert: .escalateAlert(alertID, note: body.note)
            default: .resolveAlert(alertID, note: body.note)
            }
        let entry = access.entry(patient)
        let (_, state, position) = try await services.patients.execute(
            patient, command, context: guardian.decisionContext(caller), metadata: guardian.metadata(caller, context: context)
        ) { try $0.logAccess([entry]) }
        await services.awaitProjection(position)
        guard let alert = state.alerts[alertID] else { throw Problem.notFound("alert") }
        return try JSONResponse.make(AlertItem(alert, patientID: patient, change: nil))
    }

    /// The note is optional, and so is the body.
    static func optionalBody(_ request: Request) async throws -> Action {
        guard request.headers[.contentType] != nil else { return Action(note: nil) }
        return try await RequestBody.decode(Action.self, from: request, limit: 64 * 1024)
    }
}
