import Foundation
import VardeCore

/// A device bound to a patient for [from, to).
public struct DeviceBindingRow: Sendable, Equatable {
    public var serial: String
    public var patient: UUID
    public var from: Date
    public var to: Date?
}

/// What an ingest batch needs to know before it decides: which of its event
/// ids are stored already, and the patients and device bindings its readings
/// name.
public struct IngestLookup: Sendable {
    public var stored: Set<UUID>
    public var bindingsBySerial: [String: [DeviceBindingRow]]
    public var bindingsByPatient: [UUID: [DeviceBindingRow]]
    /// Patients under follow-up (not discharged), by national identifier.
    public var patientsByNationalID: [String: UUID]
    /// Which of the patient ids named exist.
    public var knownPatients: Set<UUID>
}

extension ReadSession {
    /// One round trip: the stored ids, patients by national identifier, the
    /// bindings of the devices and patients named (also those found by
    /// national identifier), and which of the patient ids named exist.
    public func ingestLookup(eventIDs: [UUID], serials: Set<String>, patients: Set<UUID>, nationalIDs: Set<String>) throws -> IngestLookup {
        let ids = PGArray.uuid(patients), national = PGArray.text(Array(nationalIDs))
        let results = try connection.pipeline([
            .init("SELECT event_id FROM events WHERE event_id = ANY($1::uuid[])", [PGArray.uuid(eventIDs)]),
            .init("SELECT national_id, id FROM patients WHERE national_id = ANY($1::text[]) AND discharged_at IS NULL", [national]),
            .init(
                """
                SELECT serial, patient_id, (extract(epoch FROM bound_at) * 1000000)::bigint,
                       (extract(epoch FROM unbound_at) * 1000000)::bigint
                FROM device_bindings
                WHERE serial = ANY($1::text[]) OR patient_id = ANY($2::uuid[])
                   OR patient_id IN (SELECT id FROM patients WHERE national_id = ANY($3::text[]) AND discharged_at IS NULL)
                """, [PGArray.text(Array(serials)), ids, national]),
            .init("SELECT id FROM patients WHERE id = ANY($1::uuid[])", [ids]),
        ])
        let (stored, byNational, bound, known) = (results[0], results[1], results[2], results[3])
        // A retry may find its readings a moment after a concurrent first
        // attempt committed them and before that commit reached the disk:
        // answer "duplicate" only once it has.
        if stored.rowCount > 0 { try connection.awaitDurability() }
        var bySerial: [String: [DeviceBindingRow]] = [:], byPatient: [UUID: [DeviceBindingRow]] = [:]
        for row in 0..<bound.rowCount {
            let b = DeviceBindingRow(
                serial: try bound.requireString(row, 0), patient: try bound.requireUUID(row, 1),
                from: try bound.requireMicros(row, 2), to: try bound.optionalMicros(row, 3))
            bySerial[b.serial, default: []].append(b)
            byPatient[b.patient, default: []].append(b)
        }
        return IngestLookup(
            stored: Set(try stored.rows { try stored.requireUUID($0, 0) }),
            bindingsBySerial: bySerial, bindingsByPatient: byPatient,
            patientsByNationalID: Dictionary(
                try byNational.rows { (try byNational.requireString($0, 0), try byNational.requireUUID($0, 1)) },
                uniquingKeysWith: { a, _ in a }),
            knownPatients: Set(try known.rows { try known.requireUUID($0, 0) }))
    }
}
