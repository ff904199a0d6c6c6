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
        /// The primary keys of the first few of those rows (in key order).
        public var onlyLiveKeys: [String] = []
        public var onlyReplayedKeys: [String] = []
        public var description: String {
            "\(table): \(onlyLive) live rows differ from the replay, \(onlyReplayed) replayed rows missing from live"
                + (onlyLiveKeys.isEmpty ? "" : "; live: " + onlyLiveKeys.joined(separator: ", "))
                + (onlyReplayedKeys.isEmpty ? "" : "; replayed: " + onlyReplayedKeys.joined(separator: ", "))
        }
    }

    /// How many differing rows a `Difference` names by key, each way.
    static let exampleKeys = 3

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
        let replay = Database(
            conninfo: database.conninfo, options: "-c search_path=\(scratch),\(live) -c synchronous_commit=off", user: database.user,
            maxConnections: ProjectionPipeline.connections, logger: logger)
        do {
            let skips = try await database.withConnection { try $0.allProjectionSkips() }
            let pipeline = ProjectionPipeline(database: replay, projector: Projector(), pageSize: 5000, skips: skips)
            // Phase 1: the bulk load up to the live projector's checkpoint as it is now.
            let target = try await database.withConnection { try $0.checkpoint(Projector.subscriptionName) }
            let (position, first) = try await pipeline.load(into: schema, through: target) { _, count in progress(count) }
            // Phase 2: hold the live projector still, finish the replay to its
            // checkpoint and take a snapshot of the live tables as they stand
            // there; then let the projector go on, and compare with the snapshot.
            let (differences, more) = try await database.withConnection { c in
                let snapshot = try database.dedicatedConnection()
                let more = try c.transaction { c in
                    let final = try c.lockCheckpoint(Projector.subscriptionName)
                    let more = try pipeline.replay(from: position, through: final) { _, count in progress(first + count) }
                    // A REPEATABLE READ snapshot is taken at its first statement: while the lock
                    // is held, no projector page can commit, so it sees the tables at `final`.
                    try snapshot.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    _ = try snapshot.query("SELECT 1")
                    return more
                }
                let other = try replay.dedicatedConnection()
                let differences = try ProjectionRebuild.tables.compactMap { table in
                    try Self.compare(table, live: (live, snapshot), replayed: (scratch, other))
                }
                try snapshot.execute("COMMIT")
                return (differences, more.count)
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

    /// Compares one table in two schemas, each side on its own connection at
    /// the same time: first by fingerprint (row count and the sum of every
    /// row's 64-bit hash: equal multisets of rows give equal fingerprints, and
    /// a changed row changes it but with a chance of 2⁻⁶⁴), then, only when
    /// the fingerprints differ, row for row (`EXCEPT ALL` both ways) to count
    /// the differing rows and name the first few by key. Nil when the tables
    /// hold the same rows.
    static func compare(
        _ table: String, live: (schema: String, connection: PGConnection),
        replayed: (schema: String, connection: PGConnection)
    ) throws -> Difference? {
        let sides = [live, replayed]
        let fingerprints: [String] = try concurrently(2) { i in
            let side = sides[i]
            return try side.connection.query(
                "SELECT count(*) || '/' || coalesce(sum(hashtextextended(t::text, 0)::numeric), 0) FROM \(side.schema).\(table) t"
            ).requireString(0, 0)
        }
        guard fingerprints[0] != fingerprints[1] else { return nil }
        let pairs = [(live, replayed), (replayed, live)]
        let found: [(count: Int, keys: [String])] = try concurrently(2) { i in
            let (from, other) = pairs[i]
            // Room to hash a million rows instead of sorting them on disk.
            try from.connection.execute("SET work_mem = '512MB'")
            defer { _ = try? from.connection.execute("RESET work_mem") }
            return try rowsOnlyIn(from.connection, table, "\(from.schema).\(table)", notIn: "\(other.schema).\(table)")
        }
        return Difference(
            table: table, onlyLive: found[0].count, onlyReplayed: found[1].count,
            onlyLiveKeys: found[0].keys, onlyReplayedKeys: found[1].keys)
    }

    /// The rows of `from` that `other` lacks (`EXCEPT ALL`, each `SELECT`
    /// with `filter` when given): how many, and the first few primary keys.
    static func rowsOnlyIn(
        _ c: PGConnection, _ table: String, _ from: String, notIn other: String,
        filter: String = "", _ parameters: [(any PGParameter)?] = []
    ) throws -> (count: Int, keys: [String]) {
        let r = try c.query(
            """
            WITH d AS MATERIALIZED (SELECT * FROM \(from) t \(filter) EXCEPT ALL SELECT * FROM \(other) t \(filter))
            SELECT (SELECT count(*) FROM d),
                   (SELECT coalesce(jsonb_agg(k), '[]') FROM (SELECT \(key(table)) AS k FROM d t ORDER BY 1 LIMIT \(exampleKeys)) k)::text
            """, parameters)
        let keys = try JSONDecoder().decode([String].self, from: Data(try r.requireString(0, 1).utf8))
        return (Int(try r.requireInt(0, 0)), keys)
    }

    /// Each read-model table's primary key as text, for naming rows.
    static func key(_ table: String) -> String {
        switch table {
        case "gateway_keys": "t.key_id"
        case "device_bindings": "t.serial || ' ' || t.bound_at"
        case "readings": "t.event_id::text"
        case "alert_feed": "t.team_id || ' ' || t.position || '/' || t.seq"
        default: "t.id::text"
        }
    }
}
