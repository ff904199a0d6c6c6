import VardeCore

extension PGConnection {
    /// Locks the subscription's checkpoint row for this transaction (creating it
    /// at 0) and returns its position. Two instances of a subscriber serialise
    /// here, so no page is ever handled twice.
    public func lockCheckpoint(_ name: String) throws -> Int64 {
        try pipeline(Self.lockCheckpointStatements(name))[1].requireInt(0, 0)
    }

    public func saveCheckpoint(_ name: String, position: Int64) throws {
        try query(Self.saveCheckpointStatement(name, position: position))
    }

    /// What `lockCheckpoint` runs; the second statement returns the position.
    static func lockCheckpointStatements(_ name: String) -> [Statement] {
        [
            Statement("INSERT INTO subscriptions (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", [name]),
            Statement("SELECT position FROM subscriptions WHERE name = $1 FOR UPDATE", [name]),
        ]
    }

    static func saveCheckpointStatement(_ name: String, position: Int64) -> Statement {
        Statement("UPDATE subscriptions SET position = $2, updated_at = now() WHERE name = $1", [name, position])
    }

    public func checkpoint(_ name: String) throws -> Int64 {
        try query("SELECT position FROM subscriptions WHERE name = $1", [name]).int(0, 0) ?? 0
    }

    /// Handles one page after the checkpoint, in a transaction of its own;
    /// returns the new checkpoint and the number of events handled, or nil
    /// when there was nothing to do. Two round trips besides the handler's
    /// own: BEGIN, the checkpoint lock and the page; what the handler left
    /// (`handlePage`), the new checkpoint and COMMIT.
    ///
    /// The page commits without waiting for the disk: what a handler writes
    /// is derived from events and goes in the same transaction as its
    /// checkpoint, so a crash loses at most the last pages together with their
    /// checkpoint, and they are handled again. Nor can it get ahead of the
    /// events: a page commits after the events it read, and WAL reaches the
    /// disk in order.
    public func handleNextPage(_ name: String, handler: some EventHandler, pageSize: Int) throws -> (position: Int64, count: Int)? {
        let types = handler.eventTypes
        let page = Statement(
            "SELECT \(Self.eventColumns) FROM events WHERE position > (SELECT position FROM subscriptions WHERE name = $1)"
                + (types == nil ? "" : " AND type = ANY($3::text[])") + " ORDER BY position LIMIT $2",
            [name, pageSize] + (types.map { [PGArray.text($0)] } ?? []))
        let opening = [Statement("SET LOCAL synchronous_commit = off")] + Self.lockCheckpointStatements(name) + [page]
        return try transaction(opening: opening) { c, opened in
            let events = try Self.decodeEvents(opened[3])
            guard let last = events.last else {
                // Filtered readers still advance past events of other types.
                if types != nil {
                    let from = try opened[2].requireInt(0, 0)
                    let head = try c.headPosition()
                    if head > from { try c.saveCheckpoint(name, position: head) }
                }
                return nil
            }
            let leftover = try handler.handlePage(events, connection: c)
            try c.commit(after: leftover + [Self.saveCheckpointStatement(name, position: last.position)])
            return (last.position, events.count)
        }
    }
}
