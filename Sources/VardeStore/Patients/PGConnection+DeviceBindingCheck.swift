import Foundation
import VardeCore

extension PGConnection {
    /// A device serves one patient at a time. In the binding transaction,
    /// after the patient's stream lock: no other patient's stream holds
    /// `serial` bound. Binders of one serial queue on its advisory lock, so
    /// two of them can never both succeed; the log is asked, not the read
    /// model, which may lag.
    public func ensureDeviceFree(_ serial: String, for patient: UUID) throws {
        try query("SELECT pg_advisory_xact_lock(hashtextextended($1, 11))", [serial])
        let elsewhere = try query(
            """
            SELECT 1 FROM (
                SELECT DISTINCT ON (stream_id) stream_id, type FROM events
                WHERE type IN ('DeviceBound', 'DeviceUnbound') AND data->>'serial' = $1
                ORDER BY stream_id, position DESC
            ) latest WHERE type = 'DeviceBound' AND stream_id <> $2 LIMIT 1
            """, [serial, StreamName.patient(patient)])
        if elsewhere.rowCount > 0 { throw DomainError.conflict("the device is bound to another patient; unbind it there first") }
    }
}
