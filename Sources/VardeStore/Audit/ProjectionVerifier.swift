import Foundation
import Logging
import VardeCore

/// Replays the log through the projector into a scratch schema and compares
/// every read-model table with the live one, row for row.
public struct ProjectionVerifier: Sendable {
    public struct Difference: Sendable, Codable, Equatable, CustomStringConvertible {
        public var table: String
        /// Rows in the live table that the replay does not produce.
        public var onlyLive: Int
        /// Rows the replay produces that the live table lacks.
        public var onlyReplayed: Int
        public var description: String { "\(table): \(onlyLive) live rows differ from the replay, \(onlyReplayed) replayed rows missing from live" }
    }

    let database: Database
    let logger: Logger

    public init(database: Database, logger: Logger) {
        self.database = database
        self.logger = logger
    }

    /// Returns the differences and the number of events replayed.
    public func verify(progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> (differences: [Difference], events: Int) {
        let live = try await database.withConnection { try $0.query("SELECT current_schema()").requireString(0, 0) }
        let scratch = "verify_" + UUID().lowercasedText.replacingOccurrences(of: "-", with: "").prefix(12)
        try await database.withConnection { c in
            try c.execute("CREATE SCHEMA \(scratch)")
            for table in ProjectionRebuild.tables {
                try c.execute("CREATE TABLE \(scratch).\(table) (LIKE \(live).\(table) INCLUDING ALL)")
            }
        }
        // The scratch schema is thrown away: its pages need not wait for disk.
        let replay = Database(conninfo: database.conninfo, options: "-c search_path=\(scratch),\(live) -c synchronous_commit=off", maxConnections: 2, logger: logger)
        do {
            let projector = Projector()
            // Phase 1: catch up with the live projector's checkpoint as it is now.
            let target = try await database.withConnection { try $0.checkpoint(Projector.subscriptionName) }
            let pipeline = ProjectionPipeline(database: replay, projector: projector, pageSize: 5000)
            let (position, first) = try await pipeline.run(after: 0, through: target, write: { c, prepared in
                try prepared.page.write(c)
                return nil
            }, progress: { _, count in progress(count) })
            // Phase 2: hold the live projector still, finish the replay to its checkpoint, compare.
            let replayCopy = replay
            let (differences, more) = try await database.withConnection { c in
                try c.transaction { c in
                    let final = try c.lockCheckpoint(Projector.subscriptionName)
                    let more = try Self.waitFor(replayCopy) { try Self.replay($0, projector, from: position, through: final, progress) }
                    return (try ProjectionRebuild.tables.map { table in
                        let onlyLive = try c.query("SELECT count(*) FROM (SELECT * FROM \(live).\(table) EXCEPT ALL SELECT * FROM \(scratch).\(table)) d").requireInt(0, 0)
                        let onlyReplayed = try c.query("SELECT count(*) FROM (SELECT * FROM \(scratch).\(table) EXCEPT ALL SELECT * FROM \(live).\(table)) d").requireInt(0, 0)
                        return Difference(table: table, onlyLive: Int(onlyLive), onlyReplayed: Int(onlyReplayed))
                    }.filter { $0.onlyLive + $0.onlyReplayed > 0 }, more.1)
                }
            }
            await replay.close()
            try await database.withConnection { try $0.execute("DROP SCHEMA \(scratch) CASCADE") }
            return (differences, first + more)
        } catch {
            await replay.close()
            _ = try? await database.withConnection { try $0.execute("DROP SCHEMA \(scratch) CASCADE") }
            throw error
        }
    }

    /// Feeds events (from, through] to the projector in pages, each in a transaction.
    static func replay(_ c: PGConnection, _ projector: Projector, from: Int64, through: Int64, _ progress: (Int) -> Void) throws -> (Int64, Int) {
        var position = from, count = 0
        while position < through {
            let page = try c.readAll(after: position, limit: 5000).filter { $0.position <= through }
            guard let last = page.last else { break }
            try c.transaction { try projector.handle(page, connection: $0) }
            position = last.position
            count += page.count
            progress(count)
        }
        return (position, count)
    }

    /// Runs replay work on the scratch pool from inside a synchronous section.
    static func waitFor<T: Sendable>(_ database: Database, _ body: @escaping @Sendable (PGConnection) throws -> T) throws -> T {
        let connection = try database.dedicatedConnection()
        return try body(connection)
    }
}
