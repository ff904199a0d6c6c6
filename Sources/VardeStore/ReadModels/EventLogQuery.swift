import Foundation
import VardeCore

/// What auditors' routes ask of the log itself (never of the read models).
extension ReadSession {
    /// Whether any event of the stream exists: a patient whose first event
    /// was deleted still exists, so the history and the verification name the gap.
    public func streamExists(_ stream: String) throws -> Bool {
        try connection.query("SELECT 1 FROM events WHERE stream_id = $1 LIMIT 1", [stream]).rowCount == 1
    }

    /// The stream whose `AlertRaised` raised the alert.
    public func streamOfAlert(_ alertID: UUID) throws -> String? {
        try connection.query(
            "SELECT stream_id FROM events WHERE type = 'AlertRaised' AND (data->>'alertId')::uuid = $1 LIMIT 1", [alertID]
        ).string(0, 0)
    }

    /// A stored reading read from its event, for the moment before the
    /// projector has caught up (a stored reading is never answered with 404).
    public func readingFromEvent(_ id: UUID) throws -> FHIRReadingRecord? {
        let r = try connection.query("SELECT stream_id, type, schema_version, data::text FROM events WHERE event_id = $1", [id])
        guard r.rowCount == 1, let patient = StreamName.id(of: try r.requireString(0, 0)) else { return nil }
        let event = try PatientEvent.decode(
            type: try r.requireString(0, 1), schemaVersion: Int(try r.requireInt(0, 2)), data: Data(try r.requireString(0, 3).utf8))
        guard case .readingRecorded(let e) = event else { return nil }
        return FHIRReadingRecord(
            eventID: e.readingId, patientID: patient, value: e.value, measuredAt: e.measuredAt, receivedAt: e.receivedAt,
            deviceSerial: e.deviceSerial, gatewayReadingID: e.gatewayReadingId)
    }
}
