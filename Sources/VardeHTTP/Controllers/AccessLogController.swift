import Foundation
import Hummingbird
import VardeStore

/// `GET /v1/audit/access?patient=&subject=&from=&to=&limit=&after=`: the
/// access log for auditors, oldest first, a page at a time. `from` and `to`
/// are inclusive RFC 3339 instants or dates (`TimeWindow`); `next` is the
/// cursor to pass as `after`.
/// Reading the access log is itself logged.
///
/// Paging never skips an entry. Entries are ordered by `(at, id)`, and a page
/// holds only entries older than the start of every transaction still open
/// when the request began (`horizon`, read in a statement before the page's
/// own snapshot). An entry's `at` is never earlier than its transaction's
/// start, so every entry that becomes visible later sorts after the page.
/// Only transactions that have written (hold a transaction id) can add an
/// entry, so only they hold the horizon back; entries of open transactions
/// show up on a later poll.
struct AccessLogController {
    let services: AppServices

    struct Cursor: Equatable {
        var micros: Int64
        var id: Int64

        init(micros: Int64, id: Int64) {
            self.micros = micros
            self.id = id
        }

        init(text: String) throws {
            let parts = text.split(separator: "-")
            guard parts.count == 2, let micros = Int64(parts[0]), let id = Int64(parts[1]), id >= 0 else {
                throw Problem.invalid("not a cursor from this log", pointer: "/after")
            }
            self.init(micros: micros, id: id)
        }

        var text: String { "\(micros)-\(id)" }
    }

    func register(_ routes: RouteTable) {
        let guardian = routes.guardian
        routes.on(.get, "/v1/audit/access", .auditAccessLog) { request, context, caller in
            let query = request.uri.queryParameters
            let patient = try query.get("patient").map { text -> UUID in
                guard let id = UUID(uuidString: text) else { throw Problem.invalid("patient must be a UUID", pointer: "/patient") }
                return id
            }
            let subject = query.get("subject")
            let window = try TimeWindow(from: query.get("from"), to: query.get("to"))
            let after = try query.get("after").map(Cursor.init(text:))
            let limit = try query.get("limit").map { text -> Int in
                guard let n = Int(text), (1...1000).contains(n) else { throw Problem.invalid("limit must be 1–1000", pointer: "/limit") }
                return n
            } ?? 100
            try await guardian.logReads([guardian.entry(caller, .auditAccessLog, patient: patient, request: request, context: context)])
            let page = try await services.database.withConnection { c in
                try Self.page(c, patient: patient, subject: subject, window: window, after: after, limit: limit)
            }
            let next = page.last.map(\.cursor.text) ?? after?.text
            return JSONResponse.raw(#"{"entries":["# + page.map(\.json).joined(separator: ",") + #"],"next":"#
                                    + (next.map { #""\#($0)""# } ?? "null") + "}")
        }
    }

    static func page(
        _ c: PGConnection, patient: UUID?, subject: String?, window: TimeWindow, after: Cursor?, limit: Int
    ) throws -> [(cursor: Cursor, json: String)] {
        // Its own statement, so that the page below reads a later snapshot.
        let horizon = try c.query("""
            SELECT (extract(epoch FROM coalesce(min(xact_start), clock_timestamp())) * 1000000)::bigint
            FROM pg_stat_activity WHERE xact_start IS NOT NULL AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
              AND backend_type = 'client backend' AND datname = current_database()
            """).int(0, 0) ?? 0
        let r = try c.query("""
            SELECT (extract(epoch FROM a.at) * 1000000)::bigint, a.id, jsonb_build_object(
                'id', a.id::text, 'at', varde_time(a.at), 'requestId', a.request_id, 'subject', a.subject, 'role', a.role,
                'teams', to_jsonb(a.teams), 'patientId', a.patient_id, 'action', a.action, 'route', a.route)::text
            FROM access_log a
            WHERE a.at < timestamptz 'epoch' + $1::bigint * interval '1 microsecond'
              AND ($2::uuid IS NULL OR a.patient_id = $2)
              AND ($3::text IS NULL OR a.subject = $3)
              AND ($4::timestamptz IS NULL OR a.at >= $4)
              AND ($5::timestamptz IS NULL OR a.at < $5)
              AND ($6::bigint IS NULL OR (a.at, a.id) > (timestamptz 'epoch' + $6::bigint * interval '1 microsecond', $7::bigint))
            ORDER BY a.at, a.id LIMIT $8
            """, [horizon, patient, subject, window.from, window.before, after?.micros, after?.id, limit])
        return (0..<r.rowCount).map { row in
            (Cursor(micros: r.int(row, 0)!, id: r.int(row, 1)!), r.string(row, 2)!)
        }
    }
}
