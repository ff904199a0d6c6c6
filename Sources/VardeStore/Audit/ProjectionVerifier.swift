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
        let schema = try await database.withConnection { try ProjectionSchema.create(scratch, from: live, on: $0) }
        // The scratch schema is thrown away: its pages need not wait for disk.
        let replay = Database(conninfo: database.conninfo, options: "-c search_path=\(scratch),\(live) -c synchronous_commit=off", maxConnections: ProjectionPipeline.connections, logger: logger)
        do {
            let pipeline = ProjectionPipeline(database: replay, projector: Projector(), pageSize: 5000)
            // Phase 1: the bulk load up to the live projector's checkpoint as it is now.
            let target = try await database.withConnection { try $0.checkpoint(Projector.subscriptionName) }
            let (position, first) = try await pipeline.load(into: schema, through: target) { _, count in progress(count) }
            // Phase 2: hold the live projector still, finish the replay to its checkpoint, compare.
            let (differences, more) = try await database.withConnection { c in
                try c.transaction { c in
                    let final = try c.lockCheckpoint(Projector.subscriptionName)
                    let more = try pipeline.replay(from: position, through: final) { _, count in progress(first + count) }
                    // Room to hash a million readings instead of sorting them on disk.
                    try c.execute("SET LOCAL work_mem = '512MB'")
                    return (try ProjectionRebuild.tables.map { table in
                        let onlyLive = try c.query("SELECT count(*) FROM (SELECT * FROM \(live).\(table) EXCEPT ALL SELECT * FROM \(scratch).\(table)) d").requireInt(0, 0)
                        let onlyReplayed = try c.query("SELECT count(*) FROM (SELECT * FROM \(scratch).\(table) EXCEPT ALL SELECT * FROM \(live).\(table)) d").requireInt(0, 0)
                        return Difference(table: table, onlyLive: Int(onlyLive), onlyReplayed: Int(onlyReplayed))
                    }.filter { $0.onlyLive + $0.onlyReplayed > 0 }, more.count)
                }
            }
            await replay.close()
            try await database.withConnection { try schema.drop($0) }
            return (differences, first + more)
        } catch {
            await replay.close()
            _ = try? await database.withConnection { try schema.drop($0) }
            throw error
        }
    }
}
