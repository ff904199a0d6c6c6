import Foundation
import Hummingbird
import VardeStore

/// `GET /v1/audit/access?patient=&subject=&from=&to=&limit=&after=`: the
/// access log for auditors, oldest first, a page at a time. `from` and `to`
/// are inclusive RFC 3339 instants or dates (`TimeWindow`); `next` is the
/// cursor to pass as `after`.
/// Reading the access log is itself logged. Paging never skips an entry
/// (`ReadSession.accessLog` says why).
struct AccessLogController {
    let services: AppServices
    let guardian: Guard

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
        routes.on(.get, "/v1/audit/access", .auditAccessLog, page)
    }

    @Sendable func page(_ request: Request, _ context: AppContext, _ caller: Caller) async throws -> Response {
        let query = request.uri.queryParameters
        let patient = try query.get("patient").map { text -> UUID in
            guard let id = UUID(uuidString: text) else { throw Problem.invalid("patient must be a UUID", pointer: "/patient") }
            return id
        }
        let window = try TimeWindow(from: query.get("from"), to: query.get("to"))
        let after = try query.get("after").map(Cursor.init(text:))
        let limit = try query.integer("limit", in: 1...1000, default: 100)
        let filter = AccessLogFilter(
            patient: patient, subject: query.get("subject"), from: window.from, before: window.before,
            after: after.map { ($0.micros, $0.id) }, limit: limit)
        let access = guardian.access(caller, .auditAccessLog, request, context)
        let rows = try await services.database.read { s in
            try s.logAccess([access.entry(patient)])
            return try s.accessLog(filter)
        }
        let next = rows.last.map { Cursor(micros: $0.atMicros, id: $0.id).text } ?? after?.text
        return try JSONResponse.make(AccessLogBody(entries: rows.map(AccessLogBody.Entry.init), next: next))
    }
}
