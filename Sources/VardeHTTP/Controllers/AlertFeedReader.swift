import Foundation
import VardeStore

/// Reads a team's feed after a cursor; with `wait`, holds the request until
/// the projector has applied something new or the wait runs out.
///
/// The projector is the feed's only writer and applies the log in position
/// order, committing a page at a time, so feed rows become visible in cursor
/// order: a nurse polling with her last cursor never misses a change and
/// never sees one twice.
struct AlertFeedReader {
    let services: AppServices

    struct Page {
        var json: String
        var patients: [UUID]
    }

    func page(team: UUID, after: FeedCursor, limit: Int, wait: Double) async throws -> Page {
        let deadline = ContinuousClock.now + .milliseconds(Int(wait * 1000))
        while true {
            let seen = services.projected.value
            let rows = try await services.database.withConnection { c in
                let r = try c.query("""
                    SELECT position, seq, patient_id, item::text, change FROM alert_feed
                    WHERE team_id = $1 AND (position, seq) > ($2, $3) ORDER BY position, seq LIMIT $4
                    """, [team, after.position, after.seq, limit])
                return (0..<r.rowCount).map { row in
                    (cursor: FeedCursor(position: r.int(row, 0)!, seq: Int(r.int(row, 1)!)),
                     patient: UUID(uuidString: r.string(row, 2)!)!, item: r.string(row, 3)!, change: r.string(row, 4)!)
                }
            }
            let remaining = deadline - ContinuousClock.now
            if !rows.isEmpty || remaining <= .zero {
                let next = rows.last?.cursor ?? after
                let items = rows.map { row in
                    // The stored item with its change and cursor spliced in.
                    String(row.item.dropLast()) + #", "change": "\#(row.change)", "cursor": "\#(row.cursor.text)"}"#
                }
                return Page(json: #"{"alerts":["# + items.joined(separator: ",") + #"],"next":""# + next.text + #""}"#,
                            patients: rows.map(\.patient))
            }
            _ = await services.projected.wait(until: seen + 1, timeout: remaining)
        }
    }
}
