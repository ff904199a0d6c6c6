import Foundation
import VardeCore
import VardeStore

/// Checks on the teams a patient is placed in.
enum TeamRules {
    /// Both teams exist with the right kind; an enrolling clinician must belong to one of them.
    static func check(_ kommune: UUID, _ sykehus: UUID?, caller: Caller?, database: Database) async throws {
        let kinds = try await database.withConnection { c -> [UUID: String] in
            let r = try c.query("SELECT id, kind FROM teams WHERE id = ANY($1::uuid[])",
                                ["{" + [kommune, sykehus].compactMap { $0?.lowercasedText }.joined(separator: ",") + "}"])
            return Dictionary(uniqueKeysWithValues: (0..<r.rowCount).map { (UUID(uuidString: r.string($0, 0)!)!, r.string($0, 1)!) })
        }
        guard kinds[kommune] == "kommune" else { throw Problem.invalid("no kommune team with this id", pointer: "/teams/kommune") }
        if let sykehus, kinds[sykehus] != "sykehus" { throw Problem.invalid("no sykehus team with this id", pointer: "/teams/sykehus") }
        if let caller, !caller.teams.contains(kommune), !(sykehus.map(caller.teams.contains) ?? false) {
            throw Problem(.forbidden, type: "forbidden", title: "Forbidden", detail: "patients can only be enrolled into your own teams")
        }
    }
}

/// One active enrolment per national identifier.
enum Enrolment {
    static func ensureUnique(_ id: NationalIdentifier, connection: PGConnection) throws {
        try connection.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", [id.value])
        let active = try connection.query("""
            SELECT 1 FROM events e WHERE e.type = 'PatientEnrolled' AND e.data->>'nationalId' = $1
              AND NOT EXISTS (SELECT 1 FROM events d WHERE d.stream_id = e.stream_id AND d.type = 'PatientDischarged')
            """, [id.value])
        if active.rowCount > 0 { throw DomainError.conflict("this person is already enrolled") }
    }
}

/// A device serves one patient at a time.
enum DeviceRules {
    /// In the binding transaction, after the patient's stream lock: no other
    /// patient's stream holds `serial` bound. Binders of one serial queue on
    /// its advisory lock, so two of them can never both succeed; the log is
    /// asked, not the read model, which may lag.
    static func ensureFree(_ serial: String, for patient: UUID, connection: PGConnection) throws {
        try connection.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 11))", [serial])
        let elsewhere = try connection.query("""
            SELECT 1 FROM (
                SELECT DISTINCT ON (stream_id) stream_id, type FROM events
                WHERE type IN ('DeviceBound', 'DeviceUnbound') AND data->>'serial' = $1
                ORDER BY stream_id, position DESC
            ) latest WHERE type = 'DeviceBound' AND stream_id <> $2 LIMIT 1
            """, [serial, StreamName.patient(patient)])
        if elsewhere.rowCount > 0 { throw Problem.conflict("the device is bound to another patient; unbind it there first") }
    }
}
