import Foundation
import VardeCore
import VardeStore

/// A page of the access log; `next` is the cursor to pass as `after`
/// (null before the first entry).
struct AccessLogBody: Encodable {
    struct Entry: Encodable {
        var id: String
        /// Milliseconds, as every instant the API shows (the cursor keeps microseconds).
        var at: String
        var requestId: String
        var subject: String
        var role: String
        var teams: [UUID]
        var patientId: UUID?
        var action: String
        var route: String
        /// `allowed`, or what refused the attempt: `denied`, `forbidden`, `filtered`, `refused`.
        var outcome: String

        init(_ r: AccessLogRow) {
            id = String(r.id)
            at = EventDate.format(Timestamp.fromMicros(r.atMicros / 1000 * 1000))  // truncated, as varde_time did (entries are after 1970)
            let e = r.entry
            (requestId, subject, role, teams, patientId, action, route, outcome) = (
                e.requestID, e.subject, e.role, e.teams, e.patientID, e.action, e.route, e.outcome.rawValue
            )
        }
    }

    var entries: [Entry]
    var next: String?

    private enum CodingKeys: String, CodingKey { case entries, next }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(entries, forKey: .entries)
        try c.encode(next, forKey: .next)
    }
}
