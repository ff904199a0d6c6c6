import Foundation

extension ReadSession {
    /// How far the read models are behind the log: events after `checkpoint`,
    /// and the age of the oldest of them (0 when none).
    public func projectorLag(after checkpoint: Int64, now: Date) throws -> (events: Int64, seconds: Double) {
        let r = try connection.query(
            """
            SELECT (SELECT coalesce(max(position), 0) FROM events) - $1,
                   (SELECT extract(epoch FROM recorded_at) FROM events WHERE position > $1 ORDER BY position LIMIT 1)
            """, [checkpoint])
        let events = max(0, try r.requireInt(0, 0))
        let oldest = r.string(0, 1).flatMap(Double.init)
        return (events, oldest.map { max(0, now.timeIntervalSince1970 - $0) } ?? 0)
    }
}
