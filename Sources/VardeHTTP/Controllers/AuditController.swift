import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// What auditors read: a patient's history, the patient as they stood at any
/// past moment (replayed with the same pure code, never read from today's
/// tables), how an alert came about, and whether the log is intact.
struct AuditController {
    let services: AppServices

    func register(_ routes: RouteTable) {
        let guardian = routes.guardian
        routes.on(.get, "/v1/audit/patients/{patientId}/events", .auditEvents) { request, context, caller in
            let id = try context.parameters.uuid("patientId")
            let q = request.uri.queryParameters
            let fromVersion = q.get("fromVersion").flatMap(Int64.init) ?? 1
            let toVersion = q.get("toVersion").flatMap(Int64.init) ?? .max
            let window = try TimeWindow(from: q.get("from"), to: q.get("to"))
            let events = try await services.store.read(stream: StreamName.patient(id), from: fromVersion, through: toVersion)
                .filter { window.contains($0.recordedAt) }
            guard try await Self.exists(id, services) else { throw Problem.notFound("patient") }
            try await guardian.logReads([guardian.entry(caller, .auditEvents, patient: id, request: request, context: context)])
            let body = try events.map(AuditViews.json).joined(separator: ",")
            return JSONResponse.raw(#"{"patientId":"\#(id.lowercasedText)","events":["# + body + "]}")
        }

        routes.on(.get, "/v1/audit/patients/{patientId}/view", .auditView) { request, context, caller in
            let id = try context.parameters.uuid("patientId")
            let q = request.uri.queryParameters
            let at = try q.get("at").map { try ReadingController.instant($0, "at") }
            let position = q.get("position").flatMap(Int64.init)
            guard (at == nil) != (position == nil) else { throw Problem.invalid("give either at or position", pointer: "/at") }
            let events = try await services.store.read(stream: StreamName.patient(id))
            guard !events.isEmpty else { throw Problem.notFound("patient") }
            let upTo = events.filter { e in at.map { e.recordedAt <= $0 } ?? (e.position <= position!) }
            let state = try upTo.reduce(into: PatientState.initial) {
                $0.apply(try PatientEvent.decode(type: $1.type, schemaVersion: $1.schemaVersion, data: $1.data))
            }
            try await guardian.logReads([guardian.entry(caller, .auditView, patient: id, request: request, context: context)])
            let now = at ?? upTo.last?.recordedAt ?? events[0].recordedAt
            let view = AuditViews.PastView(state: state, now: now, asOf: .init(at: at, position: position, version: state.version))
            return try JSONResponse.make(view)
        }

        routes.on(.get, "/v1/audit/alerts/{alertId}/explanation", .auditAlertExplanation) { request, context, caller in
            let alertID = try context.parameters.uuid("alertId")
            let stream = try await services.database.withConnection { c in
                try c.query("SELECT stream_id FROM events WHERE type = 'AlertRaised' AND (data->>'alertId')::uuid = $1 LIMIT 1", [alertID]).string(0, 0)
            }
            guard let stream, let patient = StreamName.id(of: stream) else { throw Problem.notFound("alert") }
            let events = try await services.store.read(stream: stream)
            let explanation = try AlertExplanation.build(alertID: alertID, patientID: patient, events: events)
            try await guardian.logReads([guardian.entry(caller, .auditAlertExplanation, patient: patient, request: request, context: context)])
            return JSONResponse.raw(explanation)
        }

        routes.on(.get, "/v1/audit/verify", .auditVerify) { request, context, caller in
            let patient = try request.uri.queryParameters.get("patient").map { text -> UUID in
                guard let id = UUID(uuidString: text) else { throw Problem.invalid("patient must be a patient id", pointer: "/patient") }
                return id
            }
            // The whole log is verified by `varde verify` (the operator's role): it replays into a scratch schema, which the server's role may not create.
            guard let patient else { throw Problem.invalid("give patient; the whole log is verified by `varde verify`", pointer: "/patient") }
            guard try await Self.exists(patient, services) else { throw Problem.notFound("patient") }
            try await guardian.logReads([guardian.entry(caller, .auditVerify, patient: patient, request: request, context: context)])
            let report = try await Verification(database: services.database, logger: context.logger)
                .run(stream: StreamName.patient(patient))
            return try JSONResponse.make(VerifyBody(report))
        }
    }

    /// A patient exists while any event of the stream does: if the first one
    /// was deleted, the history and the verification still answer, and name the gap.
    static func exists(_ id: UUID, _ services: AppServices) async throws -> Bool {
        try await services.database.withConnection { c in
            try c.query("SELECT 1 FROM events WHERE stream_id = $1 LIMIT 1", [StreamName.patient(id)]).rowCount == 1
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
