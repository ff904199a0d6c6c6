import Foundation
import VardeStore

/// Reads a team's feed after a cursor; with `wait`, holds the request until
/// the projector has committed feed entries for this team (`FeedSignals`),
/// the wait runs out, or the server drains: no query runs in between.
///
/// The projector is the feed's only writer and applies the log in position
/// order, committing a page at a time, so feed rows become visible in cursor
/// order: a nurse polling with her last cursor never misses a change and
/// never sees one twice.
struct AlertFeedReader {
    let services: AppServices

    /// The page, with one access-log entry per patient shown, written on the
    /// connection that read it.
    func page(team: UUID, after: FeedCursor, limit: Int, wait: Double, access: Guard.Access) async throws -> AlertFeedBody {
        let deadline = ContinuousClock.now + .milliseconds(Int(wait * 1000))
        while true {
            let seen = services.feeds.generation(team)
            let last = deadline - ContinuousClock.now <= .zero || services.feeds.isClosed
            let rows = try await services.database.read { s -> [AlertFeedRow] in
                let rows = try s.alertFeed(team: team, afterPosition: after.position, afterSeq: after.seq, limit: limit)
                if !rows.isEmpty || last {
                    let patients = Set(rows.map(\.item.patientId)).sorted { $0.uuidString < $1.uuidString }
                    try s.logAccess(patients.map { access.entry($0) })
                }
                return rows
            }
            if !rows.isEmpty || last {
                let entries = rows.map { row in
                    AlertFeedBody.Entry(item: row.item, change: row.change, cursor: FeedCursor(position: row.position, seq: row.seq).text)
                }
                return AlertFeedBody(alerts: entries, next: entries.last?.cursor ?? after.text)
            }
            await services.feeds.wait(team, after: seen, timeout: deadline - ContinuousClock.now)
        }
    }
}
