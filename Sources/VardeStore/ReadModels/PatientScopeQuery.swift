import Foundation
import VardeCore

/// A patient and the teams that follow them: what authorisation checks
/// against before anything of the patient is read.
public struct PatientScope: Sendable, Equatable {
    public var patient: UUID
    public var teams: PatientTeams
}

extension ReadSession {
    /// The patient's teams, or nil when the read models have no such patient.
    public func patientScope(_ id: UUID) throws -> PatientScope? {
        let r = try connection.query("SELECT kommune_team, sykehus_team FROM patients WHERE id = $1", [id])
        guard r.rowCount == 1 else { return nil }
        return PatientScope(patient: id, teams: PatientTeams(kommune: try r.optionalUUID(0, 0), sykehus: try r.optionalUUID(0, 1)))
    }

    /// The patient an alert belongs to.
    public func alertScope(_ alertID: UUID) throws -> PatientScope? {
        try scope(
            """
            SELECT p.id, p.kommune_team, p.sykehus_team FROM alerts a JOIN patients p ON p.id = a.patient_id WHERE a.id = $1
            """, alertID)
    }

    /// The patient a reading belongs to.
    public func readingScope(_ readingID: UUID) throws -> PatientScope? {
        try scope(
            """
            SELECT p.id, p.kommune_team, p.sykehus_team FROM readings r JOIN patients p ON p.id = r.patient_id
            WHERE r.event_position = (\(ReadSession.readingPosition)) AND r.event_id = $1
            """, readingID)
    }

    private func scope(_ sql: String, _ id: UUID) throws -> PatientScope? {
        let r = try connection.query(sql, [id])
        guard r.rowCount == 1 else { return nil }
        return PatientScope(
            patient: try r.requireUUID(0, 0), teams: PatientTeams(kommune: try r.optionalUUID(0, 1), sykehus: try r.optionalUUID(0, 2)))
    }
}
