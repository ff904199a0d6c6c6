import Foundation
import Hummingbird
import VardeCore
import VardeStore

/// What the patient page charts besides the readings: every alert of the
/// patient with why it was raised, and the threshold versions with when each
/// came into force (the bands behind each reading). Folded from the log on
/// the connection that authorised the read and logged it.
struct PatientHistoryController {
    let services: AppServices
    let guardian: Guard

    func register(_ routes: RouteTable) {
        routes.on(.get, "/v1/patients/{patientId}/alerts", .readPatientAlerts, alerts)
        routes.on(.get, "/v1/patients/{patientId}/thresholds", .readThresholdHistory, thresholds)
    }

    @Sendable func alerts(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let id = try context.parameters.uuid("patientId")
        let (guardian, access) = (guardian, guardian.access(caller, .readPatientAlerts, request, context))
        let events = try await services.database.read { s in
            _ = try guardian.patient(s.patientScope(id), for: caller, in: s, logging: access)
            try s.logAccess([access.entry(id)])
            return try s.patientEvents(id)
        }
        return try JSONResponse.make(AlertHistoryBody(patient: id, entries: AlertHistory.entries(events)))
    }

    @Sendable func thresholds(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let id = try context.parameters.uuid("patientId")
        let (guardian, access) = (guardian, guardian.access(caller, .readThresholdHistory, request, context))
        let versions = try await services.database.read { s in
            _ = try guardian.patient(s.patientScope(id), for: caller, in: s, logging: access)
            try s.logAccess([access.entry(id)])
            return try s.thresholdVersions(id)
        }
        return try JSONResponse.make(ThresholdHistoryBody(versions: versions.map(ThresholdHistoryBody.Version.init)))
    }
}
