import VardeCore

extension PGConnection {
    /// Locks the subscription's checkpoint row for this transaction (creating it
    /// at 0) and returns its position. Two instances of a subscriber serialise
    /// here, so no page is ever handled twice.
    public func lockCheckpoint(_ name: String) throws -> Int64 {
        try query("INSERT INTO subscriptions (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", [name])
        return try query("SELECT position FROM subscriptions WHERE name = $1 FOR UPDATE", [name]).requireInt(0, 0)
    }

    public func saveCheckpoint(_ name: String, position: Int64) throws {
        try query("UPDATE subscriptions SET position = $2, updated_at = now() WHERE name = $1", [name, position])
    }

    public func checkpoint(_ name: String) throws -> Int64 {
        try query("SELECT position FROM subscriptions WHERE name = $1", [name]).int(0, 0) ?? 0
    }

    /// Handles one page after the checkpoint; returns the new checkpoint and
    /// the number of events handled, or nil when there was nothing to do.
    /// Call inside a transaction.
    public func handleNextPage(_ name: String, handler: some EventHandler, pageSize: Int) throws -> (position: Int64, count: Int)? {
        let from = try lockCheckpoint(name)
        let events = try readAll(after: from, limit: pageSize, types: handler.eventTypes)
        guard let last = events.last else {
            // Filtered readers still advance past events of other types.
            let head = try query("SELECT coalesce(max(position), 0) FROM events").requireInt(0, 0)
            if handler.eventTypes != nil, head > from { try saveCheckpoint(name, position: head) }
            return nil
        }
        try handler.handle(events, connection: self)
        try saveCheckpoint(name, position: last.position)
        return (last.position, events.count)
    }
}
