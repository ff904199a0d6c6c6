import VardeCore

/// `varde projections rebuild`: empties the read models and replays the whole
/// log through the projector (`Projector.prepare` and `ProjectionPage.write`,
/// the code the live projector runs for every page). The reset holds the
/// projector's checkpoint lock, so a running server's projector waits and then
/// simply continues from the rebuilt state.
///
/// Pages go through `ProjectionPipeline`, each written together with its
/// checkpoint in one transaction. Pages commit without waiting for their WAL
/// flush; one flush at the end makes them all durable before the command
/// reports done. A crash in between loses pages only together with their
/// checkpoint, so the projector does them again.
public struct ProjectionRebuild: Sendable {
    public static let tables = ["teams", "gateways", "gateway_keys", "patients", "device_bindings", "readings", "alerts", "alert_feed"]

    let database: Database
    let pageSize: Int

    public init(database: Database, pageSize: Int = 5000) {
        self.database = database
        self.pageSize = pageSize
    }

    /// Returns the number of events replayed; `progress` gets (position, events so far) per page.
    public func run(progress: (Int64, Int) -> Void = { _, _ in }) async throws -> Int {
        let name = Projector.subscriptionName
        try await database.transaction { c in
            _ = try c.lockCheckpoint(name)
            try c.execute("TRUNCATE " + Self.tables.joined(separator: ", "))
            try c.saveCheckpoint(name, position: 0)
        }
        let pipeline = ProjectionPipeline(database: database, projector: Projector(), pageSize: pageSize)
        let (_, count) = try await pipeline.run(after: 0, write: { c, prepared in
            try c.execute("SET LOCAL synchronous_commit = off")
            // A running server's projector may have moved the checkpoint: go on from there.
            let at = try c.lockCheckpoint(name)
            guard at == prepared.from else { return at }
            try prepared.page.write(c)
            try c.saveCheckpoint(name, position: prepared.through)
            return nil
        }, progress: progress)
        try await database.withConnection { try $0.awaitDurability() }
        return count
    }
}
