import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// Authorisation, in one place: the role table (`Operation.roles`, 403), the
/// patient scope (caller's teams ∩ patient's teams, else 404 so existence is
/// not leaked) and the access log.
struct Guard: Sendable {
    let services: AppServices

    /// The caller, if their role may use `operation`.
    func caller(_ context: AppContext, _ operation: Operation) throws -> Caller {
        guard let caller = context.caller else { throw AuthMiddleware.unauthorized("missing bearer credentials", error: nil) }
        guard operation.roles.contains(caller.role) else {
            throw Problem(.forbidden, type: "forbidden", title: "Forbidden",
                          detail: "the \(caller.role.rawValue) role may not \(operation.rawValue)")
        }
        return caller
    }

    /// The teams of a patient the caller may see, or 404. `what` names the
    /// resource the caller asked for (an alert, a reading), so that the 404 is
    /// the same whether it exists for another team or does not exist at all.
    func patient(_ id: UUID, for caller: Caller, asking what: String = "patient") async throws -> PatientTeams {
        let teams = try await services.database.withConnection { connection -> PatientTeams? in
            let result = try connection.query("SELECT kommune_team, sykehus_team FROM patients WHERE id = $1", [id])
            guard result.rowCount == 1 else { return nil }
            return PatientTeams(kommune: result.string(0, 0).flatMap(UUID.init(uuidString:)),
                                sykehus: result.string(0, 1).flatMap(UUID.init(uuidString:)))
        }
        guard let teams, Self.maySee(caller, teams) else { throw Problem.notFound(what) }
        return teams
    }

    static func maySee(_ caller: Caller, _ teams: PatientTeams) -> Bool {
        switch caller.role {
        case .auditor: true
        case .nurse, .clinician: [teams.kommune, teams.sykehus].contains { $0.map(caller.teams.contains) ?? false }
        case .gateway, .admin: false
        }
    }

    /// A team the caller belongs to (auditors may read any), else 404.
    func team(_ id: UUID, for caller: Caller) throws {
        guard caller.role == .auditor || caller.teams.contains(id) else { throw Problem.notFound("team") }
    }

    func entry(_ caller: Caller, _ operation: Operation, patient: UUID?, request: Request, context: AppContext) -> AccessEntry {
        AccessEntry(
            requestID: context.id, subject: caller.subject, role: caller.role.rawValue, teams: caller.teams,
            patientID: patient, action: operation.auditAction ?? operation.rawValue,
            route: "\(request.method.rawValue) \(request.uri.path)")
    }

    /// Records reads before their data is returned (a failed write fails the read).
    func logReads(_ entries: [AccessEntry]) async throws {
        guard !entries.isEmpty else { return }
        try await services.database.withConnection { try $0.logAccess(entries) }
    }

    func metadata(_ caller: Caller, context: AppContext, team: UUID? = nil) -> EventMetadata {
        EventMetadata(actor: caller.subject, role: caller.role.rawValue, team: team ?? caller.teams.first,
                      gateway: caller.gatewayID, requestID: context.id)
    }

    func decisionContext(_ caller: Caller) -> DecisionContext {
        DecisionContext(now: services.now, actor: ActorRef(subject: caller.subject, role: caller.role.rawValue), team: caller.teams.first)
    }
}
