import Foundation
import VardeCore

/// One access-log entry as stored: its id, when, and what it says.
public struct AccessLogRow: Sendable {
    public var id: Int64
    /// `at` in whole microseconds, the precision the cursor keeps.
    public var atMicros: Int64
    public var entry: AccessEntry
}

/// Which entries: a patient, a subject, a window of `at`, and a keyset
/// cursor (`at` in microseconds, `id`) to read after.
public struct AccessLogFilter: Sendable {
    public var patient: UUID?
    public var subject: String?
    public var from: Date?
    public var before: Date?
    public var after: (micros: Int64, id: Int64)?
    public var limit: Int

    public init(patient: UUID?, subject: String?, from: Date?, before: Date?, after: (micros: Int64, id: Int64)?, limit: Int) {
        (self.patient, self.subject, self.from, self.before, self.after, self.limit) = (patient, subject, from, before, after, limit)
    }
}

extension ReadSession {
    /// A page of the access log, oldest first by (`at`, `id`).
    ///
    /// Paging never skips an entry. A page holds only entries older than the
    /// start of every transaction still open when the request began
    /// (`horizon`, read in a statement before the page's own snapshot). An
    /// entry's `at` is never earlier than its transaction's start, so every
    /// entry that becomes visible later sorts after the page. Only
    /// transactions that have written (hold a transaction id) can add an
    /// entry, so only they hold the horizon back; entries of open
    /// transactions show up on a later poll.
    public func accessLog(_ f: AccessLogFilter) throws -> [AccessLogRow] {
        // Its own statement, so that the page below reads a later snapshot.
        let horizon = try connection.query(
            """
            SELECT (extract(epoch FROM coalesce(min(xact_start), clock_timestamp())) * 1000000)::bigint
            FROM pg_stat_activity WHERE xact_start IS NOT NULL AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
              AND backend_type = 'client backend' AND datname = current_database()
            """
        ).requireInt(0, 0)
        let r = try connection.query(
            """
            SELECT (extract(epoch FROM a.at) * 1000000)::bigint, a.id, a.request_id, a.subject, a.role,
                   array_to_json(a.teams)::text, a.patient_id, a.action, a.route, a.outcome
            FROM access_log a
            WHERE a.at < timestamptz 'epoch' + $1::bigint * interval '1 microsecond'
              AND ($2::uuid IS NULL OR a.patient_id = $2)
              AND ($3::text IS NULL OR a.subject = $3)
              AND ($4::timestamptz IS NULL OR a.at >= $4)
              AND ($5::timestamptz IS NULL OR a.at < $5)
              AND ($6::bigint IS NULL OR (a.at, a.id) > (timestamptz 'epoch' + $6::bigint * interval '1 microsecond', $7::bigint))
            ORDER BY a.at, a.id LIMIT $8
            """, [horizon, f.patient, f.subject, f.from, f.before, f.after?.micros, f.after?.id, f.limit])
        return try r.rows { row in
            AccessLogRow(
                id: try r.requireInt(row, 1), atMicros: try r.requireInt(row, 0),
                entry: AccessEntry(
                    requestID: try r.requireString(row, 2), subject: try r.requireString(row, 3), role: try r.requireString(row, 4),
                    teams: try r.requireJSON([UUID].self, row, 5), patientID: try r.optionalUUID(row, 6),
                    action: try r.requireString(row, 7), route: try r.requireString(row, 8),
                    outcome: AccessOutcome(rawValue: try r.requireString(row, 9)) ?? .allowed))
        }
    }
}
