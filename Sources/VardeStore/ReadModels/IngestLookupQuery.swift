import Foundation
import VardeCore

/// A device bound to a patient for [from, to).
public struct DeviceBindingRow: Sendable, Equatable {
    public var serial: String
    public var patient: UUID
    public var from: Date
    public var to: Date?
}

/// A reading event already in the log under an id an item would record:
/// its patient and, to tell a retry from a reused id, what it said (nil when
/// the event under that id is not a reading).
public struct StoredReading: Sendable, Equatable {
    public var patient: UUID?
    public var content: ReadingContent?
}

/// What an ingest batch needs to know before it decides: which of its event
/// ids are stored already, and the patients and device bindings its readings
/// name, with the teams that follow each patient (a gateway reaches only the
/// patients of the teams it serves).
public struct IngestLookup: Sendable {
    public var stored: [UUID: StoredReading]
    public var bindingsBySerial: [String: [DeviceBindingRow]]
    public var bindingsByPatient: [UUID: [DeviceBindingRow]]
    /// Patients under follow-up (not discharged), by national identifier.
    public var patientsByNationalID: [String: UUID]
    /// The teams of every patient named, found by national identifier or bound to a device named.
    public var patientTeams: [UUID: PatientTeams]
}

extension ReadSession {
    /// One round trip: the stored readings, patients by national identifier,
    /// the bindings of the devices and patients named (also those found by
    /// national identifier), and the teams of every patient among them.
    public func ingestLookup(eventIDs: [UUID], serials: Set<String>, patients: Set<UUID>, nationalIDs: Set<String>) throws -> IngestLookup {
        let ids = PGArray.uuid(patients), national = PGArray.text(Array(nationalIDs))
        let results = try connection.pipeline([
            .init(
                "SELECT event_id, stream_id, type, schema_version, data::text FROM events WHERE event_id = ANY($1::uuid[])",
                [PGArray.uuid(eventIDs)]),
            .init(
                """
                SELECT national_id, id, kommune_team, sykehus_team FROM patients
                WHERE national_id = ANY($1::text[]) AND discharged_at IS NULL
                """, [national]),
            .init(
                """
                SELECT b.serial, b.patient_id, (extract(epoch FROM b.bound_at) * 1000000)::bigint,
                       (extract(epoch FROM b.unbound_at) * 1000000)::bigint, p.kommune_team, p.sykehus_team
                FROM device_bindings b JOIN patients p ON p.id = b.patient_id
                WHERE b.serial = ANY($1::text[]) OR b.patient_id = ANY($2::uuid[])
                   OR b.patient_id IN (SELECT id FROM patients WHERE national_id = ANY($3::text[]) AND discharged_at IS NULL)
                """, [PGArray.text(Array(serials)), ids, national]),
            .init("SELECT id, kommune_team, sykehus_team FROM patients WHERE id = ANY($1::uuid[])", [ids]),
        ])
        let (stored, byNational, bound, known) = (results[0], results[1], results[2], results[3])
        // A retry may find its readings a moment after a concurrent first
        // attempt committed them and before that commit reached the disk:
        // answer "duplicate" only once it has.
        if stored.rowCount > 0 { try connection.awaitDurability() }
        var teams: [UUID: PatientTeams] = [:]
        func teamsAt(_ r: PGResult, _ row: Int, _ column: Int) throws -> PatientTeams {
            PatientTeams(kommune: try r.optionalUUID(row, column), sykehus: try r.optionalUUID(row, column + 1))
        }
        var bySerial: [String: [DeviceBindingRow]] = [:], byPatient: [UUID: [DeviceBindingRow]] = [:]
        for row in 0..<bound.rowCount {
            let b = DeviceBindingRow(
                serial: try bound.requireString(row, 0), patient: try bound.requireUUID(row, 1),
                from: try bound.requireMicros(row, 2), to: try bound.optionalMicros(row, 3))
            bySerial[b.serial, default: []].append(b)
            byPatient[b.patient, default: []].append(b)
            teams[b.patient] = try teamsAt(bound, row, 4)
        }
        var byNationalID: [String: UUID] = [:]
        for row in 0..<byNational.rowCount {
            let id = try byNational.requireUUID(row, 1)
            byNationalID[try byNational.requireString(row, 0)] = byNationalID[try byNational.requireString(row, 0)] ?? id
            teams[id] = try teamsAt(byNational, row, 2)
        }
        for row in 0..<known.rowCount { teams[try known.requireUUID(row, 0)] = try teamsAt(known, row, 1) }
        var readings: [UUID: StoredReading] = [:]
        for row in 0..<stored.rowCount {
            let event = try? PatientEvent.decode(
                type: try stored.requireString(row, 2), schemaVersion: Int(try stored.requireInt(row, 3)),
                data: Data(try stored.requireString(row, 4).utf8))
            let content: ReadingContent? = if case .readingRecorded(let r)? = event { r.content } else { nil }
            readings[try stored.requireUUID(row, 0)] = StoredReading(
                patient: StreamName.id(of: try stored.requireString(row, 1)), content: content)
        }
        return IngestLookup(
            stored: readings, bindingsBySerial: bySerial, bindingsByPatient: byPatient, patientsByNationalID: byNationalID,
            patientTeams: teams)
    }
}
