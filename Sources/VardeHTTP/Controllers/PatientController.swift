import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// Enrolment, the patient view, search by national identifier, teams,
/// discharge, thresholds and alert routing.
struct PatientController {
    let services: AppServices

    struct Enroll: Decodable {
        struct Teams: Decodable { var kommune: UUID; var sykehus: UUID? }
        var nationalId: String
        var kommunenummer: String
        var program: String
        var teams: Teams
    }

    struct Search: Decodable { var nationalId: String }
    struct Discharge: Decodable { var reason: String? }
    struct AssignTeams: Decodable { var kommune: UUID; var sykehus: UUID? }
    struct SetThresholds: Decodable { var thresholds: ThresholdSet; var reason: String }
    struct SetRouting: Decodable { var routing: String }

    func register(_ routes: RouteTable) {
        let guardian = routes.guardian
        routes.on(.post, "/v1/patients", .enrollPatient) { request, context, caller in
            let body = try await RequestBody.decode(Enroll.self, from: request)
            let nationalID = try NationalIdentifier(body.nationalId)
            let kommunenummer = try Kommunenummer(body.kommunenummer)
            guard let program = Program(rawValue: body.program) else {
                throw Problem.invalid("program must be one of \(Program.allCases.map(\.rawValue).joined(separator: ", "))", pointer: "/program")
            }
            try await TeamRules.check(body.teams.kommune, body.teams.sykehus, caller: caller, database: services.database)
            let id = IdempotencyKey.id(for: request, caller: caller, scope: "patient")
            let command = PatientCommand.enroll(
                patientID: id, nationalID: nationalID, kommunenummer: kommunenummer.value, program: program,
                teams: PatientTeams(kommune: body.teams.kommune, sykehus: body.teams.sykehus))
            let entry = guardian.entry(caller, .enrollPatient, patient: id, request: request, context: context)
            let existing = try await services.patients.state(of: id)
            if !existing.isEnrolled {
                let (_, _, position) = try await services.patients.execute(
                    id, command, context: guardian.decisionContext(caller), metadata: guardian.metadata(caller, context: context)
                ) { connection in
                    try Enrolment.ensureUnique(nationalID, connection: connection)
                    try connection.logAccess([entry])
                }
                await services.awaitProjection(position)
            }
            return try await view(id, status: .created, request: request, context: context)
        }

        routes.on(.get, "/v1/patients/{patientId}", .readPatient) { request, context, caller in
            let id = try context.parameters.uuid("patientId")
            _ = try await guardian.patient(id, for: caller)
            try await guardian.logReads([guardian.entry(caller, .readPatient, patient: id, request: request, context: context)])
            return try await view(id, request: request, context: context)
        }

        routes.on(.post, "/v1/patients/search", .searchPatients) { request, context, caller in
            let body = try await RequestBody.decode(Search.self, from: request)
            let nationalID = try NationalIdentifier(body.nationalId)
            let found = try await services.database.withConnection { c in
                let r = try c.query("""
                    SELECT p.id, p.kommune_team, p.sykehus_team, \(PatientQueries.summaryColumns)::text
                    FROM patients p WHERE p.national_id = $1 ORDER BY p.enrolled_at
                    """, [nationalID.value])
                return (0..<r.rowCount).map { row in
                    (id: UUID(uuidString: r.string(row, 0)!)!,
                     teams: PatientTeams(kommune: r.string(row, 1).flatMap(UUID.init(uuidString:)), sykehus: r.string(row, 2).flatMap(UUID.init(uuidString:))),
                     json: r.string(row, 3)!)
                }
            }
            let visible = found.filter { Guard.maySee(caller, $0.teams) }
            try await guardian.logReads(visible.map { guardian.entry(caller, .searchPatients, patient: $0.id, request: request, context: context) })
            return JSONResponse.raw(#"{"patients":["# + visible.map(\.json).joined(separator: ",") + "]}")
        }

        routes.on(.post, "/v1/patients/{patientId}/discharge", .dischargePatient) { request, context, caller in
            let body = try await RequestBody.decode(Discharge.self, from: request)
            return try await command(.discharge(reason: body.reason ?? ""), .dischargePatient, request, context, caller)
        }

        routes.on(.put, "/v1/patients/{patientId}/teams", .assignTeams) { request, context, caller in
            let body = try await RequestBody.decode(AssignTeams.self, from: request)
            try await TeamRules.check(body.kommune, body.sykehus, caller: nil, database: services.database)
            return try await command(.assignTeams(kommune: body.kommune, sykehus: body.sykehus), .assignTeams, request, context, caller)
        }

        routes.on(.put, "/v1/patients/{patientId}/thresholds", .setThresholds) { request, context, caller in
            let body = try await RequestBody.decode(SetThresholds.self, from: request)
            guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw Problem.invalid("a reason is required", pointer: "/reason")
            }
            return try await command(.changeThresholds(body.thresholds, reason: body.reason), .setThresholds, request, context, caller)
        }

        routes.on(.put, "/v1/patients/{patientId}/routing", .setRouting) { request, context, caller in
            let body = try await RequestBody.decode(SetRouting.self, from: request)
            guard let option = RoutingOption(rawValue: body.routing) else {
                throw Problem.invalid("routing must be one of \(RoutingOption.allCases.map(\.rawValue).joined(separator: ", "))", pointer: "/routing")
            }
            return try await command(.changeRouting(option), .setRouting, request, context, caller)
        }
    }

    /// Runs a command on a patient the caller may see, logs it in the same
    /// transaction, waits for the projection and answers with the view.
    /// `check` runs in that transaction too, after the patient's stream lock,
    /// and may refuse by throwing.
    func command(
        _ command: PatientCommand, _ operation: Operation, _ request: Request, _ context: AppContext, _ caller: Caller,
        check: (@Sendable (PGConnection) throws -> Void)? = nil
    ) async throws -> Response {
        let id = try context.parameters.uuid("patientId")
        _ = try await Guard(services: services).patient(id, for: caller)
        let guardian = Guard(services: services)
        let entry = guardian.entry(caller, operation, patient: id, request: request, context: context)
        let (_, _, position) = try await services.patients.execute(
            id, command, context: guardian.decisionContext(caller), metadata: guardian.metadata(caller, context: context)
        ) { connection in
            try check?(connection)
            try connection.logAccess([entry])
        }
        await services.awaitProjection(position)
        return try await view(id, request: request, context: context)
    }

    func view(_ id: UUID, status: HTTPResponse.Status = .ok, request: Request, context: AppContext) async throws -> Response {
        let now = services.now
        guard let json = try await services.database.withConnection({ try PatientQueries.view($0, id: id, now: now) }) else {
            throw Problem.notFound("patient")
        }
        return JSONResponse.raw(json, status: status)
    }
}
