import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// What auditors read: a patient's history, the patient as they stood at any
/// past moment (replayed with the same pure code, never read from today's
/// tables), how an alert came about, and whether the log is intact.
struct AuditController {
    let services: AppServices
    let guardian: Guard

    func register(_ routes: RouteTable) {
        routes.on(.get, "/v1/audit/patients/{patientId}/events", .auditEvents, events)
        routes.on(.get, "/v1/audit/patients/{patientId}/view", .auditView, view)
        routes.on(.get, "/v1/audit/alerts/{alertId}/explanation", .auditAlertExplanation, explanation)
        routes.on(.get, "/v1/audit/verify", .auditVerify, verify)
    }

    @Sendable func events(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let id = try context.parameters.uuid("patientId")
        let q = request.uri.queryParameters
        let fromVersion = try q.integer("fromVersion", atLeast: 1) ?? 1
        let toVersion = try q.integer("toVersion", atLeast: 1) ?? .max
        let window = try TimeWindow(from: q.get("from"), to: q.get("to"))
        // At most `maxEvents` a request (memory stays bounded); auditors go on from the last version + 1.
        let through = min(toVersion, fromVersion > .max - Self.maxEvents ? .max : fromVersion + Self.maxEvents - 1)
        let events = try await services.store.read(stream: StreamName.patient(id), from: fromVersion, through: through)
            .filter { window.contains($0.recordedAt) }
        try await logIfExists(id, guardian.access(caller, .auditEvents, request, context))
        return JSONResponse.raw(try AuditViews.History(patientId: id, events: events).json())
    }

    static let maxEvents: Int64 = 10_000

    @Sendable func view(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let id = try context.parameters.uuid("patientId")
        let q = request.uri.queryParameters
        let at = try q.get("at").map { try ReadingController.instant($0, "at") }
        let position = try q.integer("position", atLeast: 1)
        guard (at == nil) != (position == nil) else { throw Problem.invalid("give either at or position", pointer: "/at") }
        let events = try await services.store.read(stream: StreamName.patient(id))
        guard !events.isEmpty else { throw Problem.notFound("patient") }
        let upTo = events.filter { e in at.map { e.recordedAt <= $0 } ?? (e.position <= position!) }
        let state = try upTo.reduce(into: PatientState.initial) {
            $0.apply(try PatientEvent.decode(type: $1.type, schemaVersion: $1.schemaVersion, data: $1.data))
        }
        let access = guardian.access(caller, .auditView, request, context)
        try await services.database.read { try $0.logAccess([access.entry(id)]) }
        let now = at ?? upTo.last?.recordedAt ?? events[0].recordedAt
        return try JSONResponse.make(
            AuditViews.PastView(state: state, now: now, asOf: .init(at: at, position: position, version: state.version)))
    }

    @Sendable func explanation(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let alertID = try context.parameters.uuid("alertId")
        guard let stream = try await services.database.read({ try $0.streamOfAlert(alertID) }), let patient = StreamName.id(of: stream)
        else { throw Problem.notFound("alert") }
        let explanation = try AlertExplanation(alertID: alertID, patientID: patient, events: try await services.store.read(stream: stream))
        let access = guardian.access(caller, .auditAlertExplanation, request, context)
        try await services.database.read { try $0.logAccess([access.entry(patient)]) }
        return JSONResponse.raw(try explanation.json())
    }

    @Sendable func verify(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let patient = try request.uri.queryParameters.get("patient").map { text -> UUID in
            guard let id = UUID(uuidString: text) else { throw Problem.invalid("patient must be a patient id", pointer: "/patient") }
            return id
        }
        // The whole log is verified by `varde verify` (the operator's role): it
        // replays into a scratch schema, which the server's role may not create.
        guard let patient else { throw Problem.invalid("give patient; the whole log is verified by `varde verify`", pointer: "/patient") }
        try await logIfExists(patient, guardian.access(caller, .auditVerify, request, context))
        let report = try await Verification(database: services.database, logger: context.logger).run(stream: StreamName.patient(patient))
        return try JSONResponse.make(VerifyBody(report))
    }

    /// A patient exists while any event of the stream does: if the first one
    /// was deleted, the history and the verification still answer, and name the gap.
    private func logIfExists(_ id: UUID, _ access: Guard.Access) async throws {
        try await services.database.read { s in
            guard try s.streamExists(StreamName.patient(id)) else { throw Problem.notFound("patient") }
            try s.logAccess([access.entry(id)])
        }
    }

    struct VerifyBody: Encodable {
        var passed: Bool
        var streams: Int
        var events: Int
        var chainBreaks: [ChainVerifier.Break]
        var heads: StreamHeads
        var projectionDifferences: [ProjectionVerifier.Difference]?
        var projectedThrough: Int64?
        var alertDifferences: [AlertVerifier.Difference]
        var seconds: Double

        init(_ r: Verification.Report) {
            passed = r.passed
            streams = r.streams
            events = r.events
            chainBreaks = r.chainBreaks
            heads = r.heads
            projectionDifferences = r.projectionDifferences
            projectedThrough = r.projectedThrough
            alertDifferences = r.alertDifferences
            seconds = r.seconds
        }
    }
}
