import Foundation
import VardeCore

extension PGConnection {
    /// One active enrolment per national identifier. In the enrolment's
    /// transaction: enrolments of one person queue on an advisory lock, and
    /// the log is asked, not the read model, which may lag.
    public func ensureNotEnrolled(_ id: NationalIdentifier) throws {
        try query("SELECT pg_advisory_xact_lock(hashtextextended($1, 7))", [id.value])
        let active = try query(
            """
            SELECT 1 FROM events e WHERE e.type = 'PatientEnrolled' AND e.data->>'nationalId' = $1
              AND NOT EXISTS (SELECT 1 FROM events d WHERE d.stream_id = e.stream_id AND d.type = 'PatientDischarged')
            """, [id.value])
        if active.rowCount > 0 { throw DomainError.conflict("this person is already enrolled") }
    }
}
