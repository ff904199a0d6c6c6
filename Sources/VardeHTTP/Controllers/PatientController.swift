import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// Enrolment, the patient view, search by national identifier, teams,
/// discharge, thresholds and alert routing.
struct PatientController {
    let services: AppServices
    let guardian: Guard

    struct Enroll: Decodable {
        struct Teams: Decodable {
            var kommune: UUID
            var sykehus: UUID?
        }
        var nationalId: String
        var kommunenummer: String
        var program: String
        var teams: Teams
    }

    struct Search: Decodable { var nationalId: String }
    struct Discharge: Decodable { var reason: String? }
    struct AssignTeams: Decodable {
        var kommune: UUID
        var sykehus: UUID?
    }
    struct SetThresholds: Decodable {
        var thresholds: ThresholdSet
        var reason: String
    }
    struct SetRouting: Decodable { var routing: String }
    struct SetIdentifiers: Decodable { var identifiers: [IdentifierInput] }

    func register(_ routes: RouteTable) {
        routes.on(.post, "/v1/patients", .enrollPatient, enroll)
        routes.on(.get, "/v1/patients/{patientId}", .readPatient, read)
        routes.on(.post, "/v1/patients/search", .searchPatients, search)
        routes.on(.post, "/v1/patients/{patientId}/discharge", .dischargePatient, discharge)
        routes.on(.put, "/v1/patients/{patientId}/teams", .assignTeams, assignTeams)
        routes.on(.put, "/v1/patients/{patientId}/thresholds", .setThresholds, setThresholds)
        routes.on(.put, "/v1/patients/{patientId}/routing", .setRouting, setRouting)
        routes.on(.put, "/v1/patients/{patientId}/identifiers", .setPatientIdentifiers, setIdentifiers)
    }

    @Sendable func enroll(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let body = try await RequestBody.decode(Enroll.self, from: request)
        let nationalID = try NationalIdentifier(body.nationalId)
        let kommunenummer = try Kommunenummer(body.kommunenummer)
        guard let program = Program(rawValue: body.program) else {
            throw Problem.invalid("program must be one of \(Program.allCases.map(\.rawValue).joined(separator: ", "))", pointer: "/program")
        }
        try await TeamRules.check(body.teams.kommune, body.teams.sykehus, caller: caller, database: services.database)
        let id = try IdempotencyKey.id(for: request, caller: caller, scope: "patient")
        let command = PatientCommand.enroll(
            patientID: id, nationalID: nationalID, kommunenummer: kommunenummer.value, program: program,
            teams: PatientTeams(kommune: body.teams.kommune, sykehus: body.teams.sykehus))
        let access = guardian.access(caller, .enrollPatient, request, context)
        if try await services.patients.state(of: id).isEnrolled { return try await repeatedEnrolment(id, command, caller, access) }
        let entry = access.entry(id)
        let (_, state, position) = try await services.patients.execute(
            id, command, context: guardian.decisionContext(caller), metadata: guardian.metadata(caller, context: context)
        ) { connection in
            try connection.ensureNotEnrolled(nationalID)
            try connection.logAccess([entry])
        }
        await services.awaitProjection(position)
        return try view(state, status: .created)
    }

    /// An enrolment whose `Idempotency-Key` made this patient before: the same
    /// request is answered as the first was, as a read (the caller must still
    /// see the patient, and the read is logged); another request is refused.
    private func repeatedEnrolment(_ id: UUID, _ command: PatientCommand, _ caller: Caller, _ access: Guard.Access) async throws -> Response
    {
        let history = try await services.store.read(stream: StreamName.patient(id), through: 3).map {
            try PatientEvent.decode(type: $0.type, schemaVersion: $0.schemaVersion, data: $0.data)
        }
        if let field = Patient.enrolmentDifference(command, history: history) { throw Problem.idempotencyKeyReused(field) }
        let (guardian, patients) = (guardian, services.patients)
        let state = try await services.database.read { s in
            _ = try guardian.patient(s.patientScope(id), for: caller, in: s, logging: access)
            try s.logAccess([access.entry(id)])
            return try s.patientState(id, from: patients)
        }
        return try view(state, status: .created)
    }

    @Sendable func read(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let id = try context.parameters.uuid("patientId")
        let (guardian, access, patients) = (guardian, guardian.access(caller, .readPatient, request, context), services.patients)
        let state = try await services.database.read { s in
            _ = try guardian.patient(s.patientScope(id), for: caller, in: s, logging: access)
            try s.logAccess([access.entry(id)])
            return try s.patientState(id, from: patients)
        }
        return try view(state)
    }

    @Sendable func search(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let body = try await RequestBody.decode(Search.self, from: request)
        let nationalID = try NationalIdentifier(body.nationalId)
        let access = guardian.access(caller, .searchPatients, request, context)
        let visible = try await services.database.read { s in
            let found = try s.patients(nationalID: nationalID)
            let visible = found.filter { Guard.maySee(caller, $0.teams) }
            try s.logAccess(found.map { access.entry($0.id, outcome: Guard.maySee(caller, $0.teams) ? .allowed : .filtered) })
            return visible
        }
        return try JSONResponse.make(PatientListBody(visible))
    }

    @Sendable func discharge(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let body = try await RequestBody.decode(Discharge.self, from: request)
        return try await command(.discharge(reason: body.reason ?? ""), .dischargePatient, request, context, caller)
    }

    @Sendable func assignTeams(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let body = try await RequestBody.decode(AssignTeams.self, from: request)
        try await TeamRules.check(body.kommune, body.sykehus, caller: nil, database: services.database)
        return try await command(.assignTeams(kommune: body.kommune, sykehus: body.sykehus), .assignTeams, request, context, caller)
    }

    @Sendable func setThresholds(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let body = try await RequestBody.decode(SetThresholds.self, from: request)
        guard !body.reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem.invalid("a reason is required", pointer: "/reason")
        }
        return try await command(.changeThresholds(body.thresholds, reason: body.reason), .setThresholds, request, context, caller)
    }

    @Sendable func setRouting(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let body = try await RequestBody.decode(SetRouting.self, from: request)
        guard let option = RoutingOption(rawValue: body.routing) else {
            throw Problem.invalid(
                "routing must be one of \(RoutingOption.allCases.map(\.rawValue).joined(separator: ", "))", pointer: "/routing")
        }
        return try await command(.changeRouting(option), .setRouting, request, context, caller)
    }

    /// Replaces the identifiers outside systems know the patient by (a PHD
    /// gateway's own patient id): what its Bundles' Patient entries are resolved
    /// by. An identifier names one patient under follow-up (else 409); the
    /// national identifier is not one of them (it is the enrolment's).
    @Sendable func setIdentifiers(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let body = try await RequestBody.decode(SetIdentifiers.self, from: request)
        let identifiers = try IdentifierInput.checked(body.identifiers)
        for (i, identifier) in identifiers.enumerated()
        where identifier.system == NationalIdentifier.fodselsnummerSystem || identifier.system == NationalIdentifier.dNummerSystem {
            throw Problem.invalid(
                "the fødselsnummer or D-nummer is the enrolment's; register other identifiers here", pointer: "/identifiers/\(i)/system")
        }
        let id = try context.parameters.uuid("patientId")
        let unique = Array(Set(identifiers)).sorted()
        return try await command(.setIdentifiers(unique), .setPatientIdentifiers, request, context, caller) {
            try $0.ensureIdentifiersFree(unique, for: id)
        }
    }

    /// Runs a command on a patient the caller may see, logs it in the same
    /// transaction, waits for the projection (so the caller's next read of any
    /// read model shows the change) and answers with the view of the state
    /// the command left. `check` runs in that transaction too, after the
    /// patient's stream lock, and may refuse by throwing.
    func command(
        _ command: PatientCommand, _ operation: Operation, _ request: Request, _ context: AppContext, _ caller: Caller,
        status: HTTPResponse.Status = .ok, check: (@Sendable (PGConnection) throws -> Void)? = nil
    ) async throws -> Response {
        let id = try context.parameters.uuid("patientId")
        let (guardian, access) = (guardian, guardian.access(caller, operation, request, context))
        _ = try await services.database.read { try guardian.patient($0.patientScope(id), for: caller, in: $0, logging: access) }
        let entry = access.entry(id)
        let (_, state, position) = try await services.patients.execute(
            id, command, context: guardian.decisionContext(caller), metadata: guardian.metadata(caller, context: context)
        ) { connection in
            try check?(connection)
            try connection.logAccess([entry])
        }
        await services.awaitProjection(position)
        return try view(state, status: status)
    }

    private func view(_ state: PatientState, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let body = PatientViewBody(state: state, now: services.now) else { throw Problem.notFound("patient") }
        return try JSONResponse.make(body, status: status)
    }
}
