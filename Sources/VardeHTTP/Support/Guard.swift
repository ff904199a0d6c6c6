import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// Authorisation, in one place: the role table (`Operation.roles`, 403), the
/// patient scope (caller's teams ∩ patient's teams, else 404 so existence is
/// not leaked) and the access-log entries.
struct Guard: Sendable {
    let services: AppServices

    /// The caller, if their role may use `operation` (else 403, see `logForbidden`).
    func caller(_ context: AppContext, _ operation: Operation) throws -> Caller {
        guard let caller = context.caller else { throw AuthMiddleware.unauthorized("missing bearer credentials", error: nil) }
        guard operation.roles.contains(caller.role) else {
            throw Problem(
                .forbidden, type: "forbidden", title: "Forbidden",
                detail: "the \(caller.role.rawValue) role may not \(operation.rawValue)")
        }
        return caller
    }

    /// The patient, if the caller may see them, else 404. `what` names the
    /// resource the caller asked for (an alert, a reading), so that the 404 is
    /// the same whether it exists for another team or does not exist at all.
    /// A refused attempt on a patient who exists is logged (`denied`) on the
    /// session before the 404 goes out.
    func patient(
        _ scope: PatientScope?, for caller: Caller, asking what: String = "patient", in session: ReadSession, logging access: Access
    ) throws -> UUID {
        guard let scope else { throw Problem.notFound(what) }
        guard Self.maySee(caller, scope.teams) else {
            try session.logAccess([access.entry(scope.patient, outcome: .denied)])
            throw Problem.notFound(what)
        }
        return scope.patient
    }

    /// Logs a role's refused attempt at an operation on patient data (403),
    /// naming the patient when the path does.
    func logForbidden(_ caller: Caller, _ operation: Operation, _ request: Request, _ context: AppContext) async throws {
        guard operation.auditAction != nil else { return }
        let patient = context.parameters.get("patientId").flatMap(UUID.init(uuidString:))
        let entry = access(caller, operation, request, context).entry(patient, outcome: .forbidden)
        try await services.database.read { try $0.logAccess([entry]) }
    }

    static func maySee(_ caller: Caller, _ teams: PatientTeams) -> Bool {
        switch caller.role {
        case .auditor: true
        // A gateway reaches the patients of the teams it serves (only routes whose
        // role table admits gateways, the FHIR Patient and Device reads, ask).
        case .nurse, .clinician, .gateway: [teams.kommune, teams.sykehus].contains { $0.map(caller.teams.contains) ?? false }
        case .admin: false
        }
    }

    /// A team the caller belongs to (auditors may read any), else 404.
    func team(_ id: UUID, for caller: Caller) throws {
        guard caller.role == .auditor || caller.teams.contains(id) else { throw Problem.notFound("team") }
    }

    /// Who asks for what through which route: what each access-log entry of
    /// the request repeats (`entry(_:)` adds the patient). Sendable, so a
    /// read session can write the entries beside the read.
    struct Access: Sendable {
        var requestID: String, subject: String, role: String, teams: [UUID], action: String, route: String

        func entry(_ patient: UUID?, outcome: AccessOutcome = .allowed) -> AccessEntry {
            AccessEntry(
                requestID: requestID, subject: subject, role: role, teams: teams, patientID: patient, action: action, route: route,
                outcome: outcome)
        }
    }

    func access(_ caller: Caller, _ operation: Operation, _ request: Request, _ context: AppContext) -> Access {
        Access(
            requestID: context.id, subject: caller.subject, role: caller.role.rawValue, teams: caller.teams,
            action: operation.auditAction ?? operation.rawValue, route: "\(request.method.rawValue) \(request.uri.path)")
    }

    func metadata(_ caller: Caller, context: AppContext, team: UUID? = nil) -> EventMetadata {
        EventMetadata(
            actor: caller.subject, role: caller.role.rawValue, team: team ?? caller.teams.first,
            gateway: caller.gatewayID, requestID: context.id, traceparent: context.traceparent)
    }

    func decisionContext(_ caller: Caller) -> DecisionContext {
        DecisionContext(now: services.now, actor: ActorRef(subject: caller.subject, role: caller.role.rawValue), team: caller.teams.first)
    }
}
