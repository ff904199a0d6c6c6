/// A second set of the read-model tables, in a schema of its own, for
/// loading the whole log in bulk: `varde projections rebuild` fills one and
/// swaps it in for the live tables; `varde verify` fills one and compares.
///
/// The tables are created like the live ones but without their indexes;
/// `addIndexes` creates them, under the live names, once the bulk of the
/// rows is in: sorting a million rows into an index once is several times
/// cheaper than a million single index inserts.
struct ProjectionSchema: Sendable {
    let name: String
    let live: String
    /// `ALTER TABLE … ADD CONSTRAINT` and `CREATE INDEX` statements for this
    /// schema's tables, read from the live tables' definitions.
    let indexes: [String]

    /// Creates `name` (dropping what a crashed earlier run may have left)
    /// with empty copies of the live schema's read-model tables.
    static func create(_ name: String, from live: String, on c: PGConnection) throws -> ProjectionSchema {
        try c.execute("DROP SCHEMA IF EXISTS \(name) CASCADE; CREATE SCHEMA \(name)")
        for table in ProjectionRebuild.tables {
            try c.execute("CREATE TABLE \(name).\(table) (LIKE \(live).\(table) INCLUDING ALL EXCLUDING INDEXES)")
        }
        let r = try c.query("""
            SELECT format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s', $2::text, t.relname, k.conname, pg_get_constraintdef(k.oid))
            FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid
            WHERE t.relnamespace = $1::regnamespace AND t.relname = ANY($3::text[]) AND k.contype IN ('p', 'u', 'x')
            UNION ALL
            SELECT replace(pg_get_indexdef(i.indexrelid), format(' ON %I.%I USING ', $1::text, t.relname),
                           format(' ON %I.%I USING ', $2::text, t.relname))
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relnamespace = $1::regnamespace AND t.relname = ANY($3::text[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = t.oid)
            """, [live, name, PGArray.text(ProjectionRebuild.tables)])
        let indexes = (0..<r.rowCount).compactMap { r.string($0, 0) }
        for statement in indexes where !statement.contains(" \(name).") {
            throw PGError(.protocolViolation, message: "cannot move this index definition to schema \(name): \(statement)")
        }
        return ProjectionSchema(name: name, live: live, indexes: indexes)
    }

    /// Creates the live tables' indexes and constraints on these tables (with
    /// room to sort in memory; call it in a transaction), then refreshes their
    /// statistics for the planner.
    func addIndexes(_ c: PGConnection) throws {
        try c.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for statement in indexes { try c.execute(statement) }
        for table in ProjectionRebuild.tables { try c.execute("ANALYZE \(name).\(table)") }
    }

    /// In the caller's transaction: drops the live tables and moves these in
    /// their place, then drops this schema. Readers of the live tables see
    /// the old rows until the transaction commits and the new ones after.
    func swap(_ c: PGConnection) throws {
        for table in ProjectionRebuild.tables {
            try c.execute("DROP TABLE \(live).\(table); ALTER TABLE \(name).\(table) SET SCHEMA \(live)")
        }
        try drop(c)
    }

    func drop(_ c: PGConnection) throws {
        try c.execute("DROP SCHEMA IF EXISTS \(name) CASCADE")
    }
}
