import Foundation
import VardeCore

/// One entry of a team's feed: the alert as it stood after the change, where
/// it sits in the feed (`position`, `seq`) and what the change was.
public struct AlertFeedRow: Sendable {
    public var position: Int64
    public var seq: Int
    public var change: String
    public var item: AlertItem
}

extension ReadSession {
    /// A team's feed entries after (`position`, `seq`), in feed order.
    public func alertFeed(team: UUID, afterPosition: Int64, afterSeq: Int, limit: Int) throws -> [AlertFeedRow] {
        let r = try connection.query(
            """
            SELECT position, seq, change, item::text FROM alert_feed
            WHERE team_id = $1 AND (position, seq) > ($2, $3) ORDER BY position, seq LIMIT $4
            """, [team, afterPosition, afterSeq, limit])
        return try r.rows { row in
            AlertFeedRow(
                position: try r.requireInt(row, 0), seq: Int(try r.requireInt(row, 1)), change: try r.requireString(row, 2),
                item: try r.requireJSON(AlertItem.self, row, 3))
        }
    }
}
