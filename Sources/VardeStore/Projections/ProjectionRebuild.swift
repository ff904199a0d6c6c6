import Foundation
import VardeCore

/// `varde projections rebuild`: replays the whole log through the projector
/// (`Projector.prepare`, the code the live projector runs for every page) into
/// a fresh set of read-model tables, then swaps them in for the live ones.
///
/// Readers keep the old tables, whole, until the swap commits, and get the
/// rebuilt ones after; nothing ever shows a half-built projection. The bulk of
/// the log goes in by `ProjectionPipeline.load` (no indexes until the end, every
/// row that later pages change written once); what was appended meanwhile
/// follows page by page. The swap holds the live projector's checkpoint lock,
/// takes the last events, replaces the tables and sets the checkpoint, all in
/// one transaction, so a running server's projector waits and then simply
/// continues from the rebuilt state. The pages commit without waiting for
/// their WAL flush; the swap's commit waits for it, and with it for theirs.
public struct ProjectionRebuild: Sendable {
    public static let tables = ["teams", "gateways", "gateway_keys", "patients", "device_bindings", "readings", "alerts", "alert_feed"]

    let database: Database
    let pageSize: Int

    public init(database: Database, pageSize: Int = 5000) {
        self.database = database
        self.pageSize = pageSize
    }

    /// Returns the number of events replayed; `progress` gets (position, events so far) per page.
    public func run(progress: @escaping @Sendable (Int64, Int) -> Void = { _, _ in }) async throws -> Int {
        let database = self.database, pageSize = self.pageSize
        let live = try await database.withConnection { try $0.query("SELECT current_schema()").requireString(0, 0) }
        return try await database.holdingLock("varde.rebuild." + live, busy: "another projection rebuild is running on schema \(live)") {
            let schema = try await database.withConnection { c in
                let schema = try ProjectionSchema.create(String(live.prefix(40)) + "_rebuild", from: live, on: c)
                try schema.adoptOwnersAndGrants(c)
                return schema
            }
            let bulk = Database(
                conninfo: database.conninfo, options: "-c search_path=\(schema.name),\(live) -c synchronous_commit=off",
                user: database.user, maxConnections: ProjectionPipeline.connections, logger: database.logger)
            do {
                let skips = try await database.withConnection { try $0.allProjectionSkips() }
                let pipeline = ProjectionPipeline(database: bulk, projector: Projector(), pageSize: pageSize, skips: skips)
                let store = EventStore(database: database)
                let loaded = try await pipeline.load(into: schema, through: try await store.headPosition(), progress: progress)
                // What was appended meanwhile, page by page into the indexed tables.
                let caughtUp = try await pipeline.run(
                    after: loaded.position, through: try await store.headPosition(),
                    write: { c, prepared in
                        try prepared.page.write(c)
                    }, progress: { progress($0, loaded.count + $1) })
                let position = caughtUp.position, done = loaded.count + caughtUp.count
                let final = try await database.withConnection { c in
                    try c.transaction { c in
                        _ = try c.lockCheckpoint(Projector.subscriptionName)
                        let head = try c.headPosition()
                        let last = try pipeline.replay(from: position, through: head) { progress($0, done + $1) }
                        try schema.swap(c)
                        try c.saveCheckpoint(Projector.subscriptionName, position: last.position)
                        return (position: last.position, count: done + last.count)
                    }
                }
                await bulk.close()
                progress(final.position, final.count)
                return final.count
            } catch {
                await bulk.close()
                _ = try? await database.withConnection { try schema.drop($0) }
                throw error
            }
        }
    }
}
