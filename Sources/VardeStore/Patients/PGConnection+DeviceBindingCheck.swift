import Foundation
import VardeCore

extension PGConnection {
    /// A device serves one patient at a time. In the binding transaction,
    /// after the patient's stream lock: no other patient's stream holds
    /// `serial`, or a device going by one of `identifiers`, bound. Binders of
    /// one serial or identifier queue on its advisory lock, so two of them can
    /// never both succeed; the log is asked, not the read model, which may lag.
    public func ensureDeviceFree(_ serial: String, identifiers: [RegisteredIdentifier] = [], for patient: UUID) throws {
        // Locks in one order, so two binders of overlapping names cannot deadlock.
        for key in (["serial|" + serial] + identifiers.map { "identifier|" + $0.token }).sorted() {
            try query("SELECT pg_advisory_xact_lock(hashtextextended($1, 11))", [key])
        }
        let elsewhere = try query(
            """
            SELECT 1 FROM (
                SELECT DISTINCT ON (stream_id, data->>'serial') stream_id, type FROM events
                WHERE type IN ('DeviceBound', 'DeviceUnbound') AND (data->>'serial' = $1 OR data->>'serial' IN (
                    SELECT data->>'serial' FROM events
                    WHERE type = 'DeviceBound' AND data->'identifiers' @> ANY($3::jsonb[])))
                ORDER BY stream_id, data->>'serial', position DESC
            ) latest WHERE type = 'DeviceBound' AND stream_id <> $2 LIMIT 1
            """, [serial, StreamName.patient(patient), PGArray.text(identifiers.map(Self.containment))])
        if elsewhere.rowCount > 0 { throw DomainError.conflict("the device is bound to another patient; unbind it there first") }
    }

    /// An identifier names one patient under follow-up. In the transaction
    /// that registers `identifiers` for `patient`, under advisory locks on
    /// them: no other patient's latest identifiers hold one, unless that
    /// patient is discharged.
    public func ensureIdentifiersFree(_ identifiers: [RegisteredIdentifier], for patient: UUID) throws {
        for key in identifiers.map(\.token).sorted() {
            try query("SELECT pg_advisory_xact_lock(hashtextextended($1, 13))", [key])
        }
        guard !identifiers.isEmpty else { return }
        let taken = try query(
            """
            SELECT 1 FROM (
                SELECT DISTINCT ON (stream_id) stream_id, data FROM events
                WHERE type = 'PatientIdentifiersChanged' AND stream_id <> $1
                  AND stream_id IN (SELECT stream_id FROM events WHERE type = 'PatientIdentifiersChanged'
                                    AND data->'identifiers' @> ANY($2::jsonb[]))
                ORDER BY stream_id, position DESC
            ) latest
            WHERE latest.data->'identifiers' @> ANY($2::jsonb[])
              AND NOT EXISTS (SELECT 1 FROM events d WHERE d.stream_id = latest.stream_id AND d.type = 'PatientDischarged')
            LIMIT 1
            """, [StreamName.patient(patient), PGArray.text(identifiers.map(Self.containment))])
        if taken.rowCount > 0 { throw DomainError.conflict("another patient under follow-up is registered with this identifier") }
    }

    /// `[{"system":…,"value":…}]`: what `@>` looks for in an identifiers array.
    static func containment(_ identifier: RegisteredIdentifier) -> String {
        var w = JSONWriter(capacity: 96)
        w.array([identifier]) { w, i in
            w.object { w in
                w.member("system", i.system)
                w.member("value", i.value)
            }
        }
        return w.text
    }
}
