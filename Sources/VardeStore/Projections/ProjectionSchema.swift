import NIOConcurrencyHelpers

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
    /// `CREATE [UNIQUE] INDEX` for every index of the live tables (those
    /// behind constraints too), moved to this schema.
    let indexes: [String]
    /// `ALTER TABLE … ADD CONSTRAINT … USING INDEX` for the primary keys and
    /// unique constraints (and a plain `ADD CONSTRAINT` for any other kind
    /// that has an index), once `indexes` exist.
    let constraints: [String]

    /// Creates `name` (dropping what a crashed earlier run may have left)
    /// with empty copies of the live schema's read-model tables.
    static func create(_ name: String, from live: String, on c: PGConnection) throws -> ProjectionSchema {
        try c.execute("DROP SCHEMA IF EXISTS \(name) CASCADE; CREATE SCHEMA \(name)")
        for table in ProjectionRebuild.tables {
            try c.execute("CREATE TABLE \(name).\(table) (LIKE \(live).\(table) INCLUDING ALL EXCLUDING INDEXES)")
        }
        // Each index of the live tables: its definition moved to this schema,
        // and the constraint it carries, if any.
        let r = try c.query(
            """
            SELECT replace(pg_get_indexdef(i.indexrelid), format(' ON %I.%I USING ', $1::text, t.relname),
                           format(' ON %I.%I USING ', $2::text, t.relname)),
                   CASE WHEN k.contype IN ('p', 'u') THEN format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s USING INDEX %I',
                            $2::text, t.relname, k.conname, CASE k.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END, x.relname)
                        WHEN k.contype IS NOT NULL THEN format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s',
                            $2::text, t.relname, k.conname, pg_get_constraintdef(k.oid))
                   END,
                   k.contype IS NOT NULL AND k.contype NOT IN ('p', 'u')
            FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid
            LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = t.oid
            WHERE t.relnamespace = $1::regnamespace AND t.relname = ANY($3::text[])
            ORDER BY pg_relation_size(t.oid) DESC, x.relname
            """, [live, name, PGArray.text(ProjectionRebuild.tables)])
        var indexes: [String] = [], constraints: [String] = []
        for row in 0..<r.rowCount {
            let index = try r.requireString(row, 0)
            guard index.contains(" \(name).") else {
                throw PGError(.protocolViolation, message: "cannot move this index definition to schema \(name): \(index)")
            }
            // An exclusion constraint builds its own index.
            if r.bool(row, 2) != true { indexes.append(index) }
            if let constraint = r.string(row, 1) { constraints.append(constraint) }
        }
        return ProjectionSchema(name: name, live: live, indexes: indexes, constraints: constraints)
    }

    /// Gives these tables the owners and the grants of the live ones, so that
    /// once swapped in they serve the roles the live ones served (the
    /// runtime role's projector, the operator's next rebuild) as before.
    /// `LIKE` copies neither. Changing an owner needs a superuser or a member
    /// of the owning role (the operator is the owner of the read models).
    func adoptOwnersAndGrants(_ c: PGConnection) throws {
        let r = try c.query(
            """
            SELECT format('ALTER TABLE %I.%I OWNER TO %I', $2::text, t.relname, pg_get_userbyid(t.relowner))
            FROM pg_class t
            WHERE t.relnamespace = $1::regnamespace AND t.relname = ANY($3::text[])
              AND t.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
            UNION ALL
            SELECT format('GRANT %s ON %I.%I TO %s', a.privilege_type, $2::text, t.relname,
                          CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END)
            FROM pg_class t, aclexplode(t.relacl) a
            WHERE t.relnamespace = $1::regnamespace AND t.relname = ANY($3::text[]) AND a.grantee <> t.relowner
            """, [live, name, PGArray.text(ProjectionRebuild.tables)])
        for row in 0..<r.rowCount { try c.execute(try r.requireString(row, 0)) }
    }

    /// Creates the live tables' indexes and constraints on these tables and
    /// refreshes their statistics. The index builds and the statistics of the
    /// tables filled by COPY share out over `parallel` connections of their
    /// own (each statement in its own transaction: nobody else sees these
    /// tables yet); the constraints, which only adopt the built indexes, and
    /// `then` (the upserts) follow in one transaction on `c`, and the other
    /// tables' statistics after it.
    func addIndexes(on c: PGConnection, parallel connections: [PGConnection], then: (PGConnection) throws -> Void) throws {
        let copied = ProjectionPage.copiedTables
        try Self.share(indexes + copied.map { "ANALYZE \(name).\($0)" }, over: connections)
        try c.transaction { c in
            for constraint in constraints { try c.execute(constraint) }
            try then(c)
        }
        for table in ProjectionRebuild.tables where !copied.contains(table) { try c.execute("ANALYZE \(name).\(table)") }
    }

    /// Runs the statements over the connections, each taking the next one
    /// when it is done; after the first error no more are started.
    private static func share(_ work: [String], over connections: [PGConnection]) throws {
        let next = NIOLockedValueBox(0)
        _ = try concurrently(connections.count) { worker in
            let connection = connections[worker]
            do {
                try connection.execute("SET maintenance_work_mem = '256MB'")
                while let item = next.withLockedValue({ n -> Int? in
                    guard n < work.count else { return nil }
                    defer { n += 1 }
                    return n
                }) {
                    try connection.execute(work[item])
                }
            } catch {
                next.withLockedValue { $0 = work.count }
                throw error
            }
        }
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
