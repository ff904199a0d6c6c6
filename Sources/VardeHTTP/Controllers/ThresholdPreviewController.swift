import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// The what-if of the threshold editor: which alerts a proposed set would have
/// raised over the patient's last `days` days, beside what was raised, decided
/// by the same pure rules on the patient's own stream (`ThresholdPreview`).
/// Writes nothing but the access-log entry.
struct ThresholdPreviewController {
    let services: AppServices
    let guardian: Guard

    struct Body: Decodable {
        var thresholds: ThresholdSet
        /// A number, checked to be whole here: Foundation's decoder refuses 1.5 for an
        /// `Int` without naming the field, and the client should learn which one it was.
        var days: Double
    }

    static let maxDays = 365

    func register(_ routes: RouteTable) {
        routes.on(.post, "/v1/patients/{patientId}/thresholds/preview", .previewThresholds, preview)
    }

    @Sendable func preview(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let id = try context.parameters.uuid("patientId")
        let body = try await RequestBody.decode(Body.self, from: request)
        guard body.days == body.days.rounded() else { throw Problem.badRequest("days must be a whole number", pointer: "/days") }
        guard (1...Double(Self.maxDays)).contains(body.days) else {
            throw Problem.invalid("days must be between 1 and \(Self.maxDays)", pointer: "/days")
        }
        let days = Int(body.days)
        do {
            try body.thresholds.validate()
        } catch DomainError.invalid(let field, let reason) {
            // `validate` points into the set; here the set is the body's `thresholds`.
            throw Problem.invalid("\(field.dropFirst()): \(reason)", pointer: "/thresholds\(field)")
        } catch {
            throw error
        }
        let (guardian, access) = (guardian, guardian.access(caller, .previewThresholds, request, context))
        try await services.database.read { s in
            _ = try guardian.patient(s.patientScope(id), for: caller, in: s, logging: access)
            try s.logAccess([access.entry(id)])
        }
        let events = try await services.store.read(stream: StreamName.patient(id)).map {
            try PatientEvent.decode(type: $0.type, schemaVersion: $0.schemaVersion, data: $0.data)
        }
        let to = EventDate.normalized(services.now)
        let result = ThresholdPreview.run(
            events, proposed: body.thresholds, from: to.addingTimeInterval(-Double(days) * 86_400), to: to)
        return try JSONResponse.make(ThresholdPreviewBody(patientId: id, days: days, result))
    }
}
