import Foundation
import VardeCore

/// A patient under follow-up found by an identifier, with the teams that follow them.
public struct IdentifiedPatient: Sendable, Equatable {
    public var id: UUID
    public var teams: PatientTeams
    /// The registered identifiers the patient has (to tell which one matched).
    public var identifiers: [RegisteredIdentifier]
    public var nationalID: String
}

/// A device binding found by the device's serial or an identifier, with its patient's teams.
public struct IdentifiedBinding: Sendable, Equatable {
    public var binding: DeviceBindingRow
    public var identifiers: [RegisteredIdentifier]
    public var teams: PatientTeams
}

extension ReadSession {
    /// Patients under follow-up (not discharged) named by any of the national
    /// identifiers or registered identifiers, in one round trip.
    public func patients(nationalIDs: [String], identifiers: [RegisteredIdentifier]) throws -> [IdentifiedPatient] {
        guard !nationalIDs.isEmpty || !identifiers.isEmpty else { return [] }
        let r = try connection.query(
            """
            SELECT id, kommune_team, sykehus_team, identifiers::text, national_id FROM patients
            WHERE discharged_at IS NULL
              AND (national_id = ANY($1::text[]) OR identifiers @> ANY($2::jsonb[]))
            """, [PGArray.text(nationalIDs), PGArray.text(identifiers.map(PGConnection.containment))])
        return try r.rows { row in
            IdentifiedPatient(
                id: try r.requireUUID(row, 0),
                teams: PatientTeams(kommune: try r.optionalUUID(row, 1), sykehus: try r.optionalUUID(row, 2)),
                identifiers: try r.requireJSON([RegisteredIdentifier].self, row, 3), nationalID: try r.requireString(row, 4))
        }
    }

    /// Every binding, past and present, of the devices named by serial or by identifier.
    public func bindings(serials: [String], identifiers: [RegisteredIdentifier]) throws -> [IdentifiedBinding] {
        guard !serials.isEmpty || !identifiers.isEmpty else { return [] }
        let r = try connection.query(
            """
            SELECT b.serial, b.patient_id, (extract(epoch FROM b.bound_at) * 1000000)::bigint,
                   (extract(epoch FROM b.unbound_at) * 1000000)::bigint, b.identifiers::text, p.kommune_team, p.sykehus_team
            FROM device_bindings b JOIN patients p ON p.id = b.patient_id
            WHERE b.serial = ANY($1::text[]) OR b.identifiers @> ANY($2::jsonb[])
            """, [PGArray.text(serials), PGArray.text(identifiers.map(PGConnection.containment))])
        return try r.rows { row in
            IdentifiedBinding(
                binding: DeviceBindingRow(
                    serial: try r.requireString(row, 0), patient: try r.requireUUID(row, 1), from: try r.requireMicros(row, 2),
                    to: try r.optionalMicros(row, 3)),
                identifiers: try r.requireJSON([RegisteredIdentifier].self, row, 4),
                teams: PatientTeams(kommune: try r.optionalUUID(row, 5), sykehus: try r.optionalUUID(row, 6)))
        }
    }

    /// The latest binding of `serial` (what `GET /fhir/Device/{id}` reads), or nil.
    public func latestBinding(serial: String) throws -> DeviceBindingRow? {
        let r = try connection.query(
            """
            SELECT serial, patient_id, (extract(epoch FROM bound_at) * 1000000)::bigint,
                   (extract(epoch FROM unbound_at) * 1000000)::bigint
            FROM device_bindings WHERE serial = $1 ORDER BY bound_at DESC LIMIT 1
            """, [serial])
        guard r.rowCount == 1 else { return nil }
        return DeviceBindingRow(
            serial: try r.requireString(0, 0), patient: try r.requireUUID(0, 1), from: try r.requireMicros(0, 2),
            to: try r.optionalMicros(0, 3))
    }
}
