import Foundation
import VardeCore

/// A patient's history as the log holds it, for the nurses' patient page:
/// the events themselves (alert explanations are folded from them), and the
/// threshold versions with when each came into force. History is what the
/// log is; no read model of it could say more.
extension ReadSession {
    /// Every event of the patient's stream, decoded, in stream order.
    public func patientEvents(_ patient: UUID) throws -> [PatientEvent] {
        try connection.readStream(StreamName.patient(patient)).map {
            try PatientEvent.decode(type: $0.type, schemaVersion: $0.schemaVersion, data: $0.data)
        }
    }

    /// The patient's threshold versions, oldest first (version 1 is the
    /// program's defaults, set at enrolment).
    public func thresholdVersions(_ patient: UUID) throws -> [ThresholdsChanged] {
        let r = try connection.query(
            """
            SELECT schema_version, data::text FROM events
            WHERE stream_id = $1 AND type = 'ThresholdsChanged' ORDER BY version
            """, [StreamName.patient(patient)])
        return try r.rows { row in
            let event = try PatientEvent.decode(
                type: ThresholdsChanged.type, schemaVersion: Int(try r.requireInt(row, 0)), data: Data(try r.requireString(row, 1).utf8))
            guard case .thresholdsChanged(let changed) = event else { throw PGError(.protocolViolation, message: "not ThresholdsChanged") }
            return changed
        }
    }
}
