import Foundation

extension PGConnection {
    /// Applies the numbered migrations not yet recorded, each in its own
    /// transaction, then the SQL objects (functions, triggers, privileges) in
    /// one transaction, all under a session advisory lock so two `varde
    /// migrate` never race. Idempotent: a second run applies nothing (but the
    /// privileges, which are re-applied every time and listed only when their
    /// file changed). Refuses to run when an applied migration's file has
    /// changed since, unless the file names the applied text's checksum as one
    /// it replaces (`Migration.replaces`); the record then takes the new
    /// checksum and keeps the old one in `replaced_checksum`.
    ///
    /// Returns the names of what was applied (`005_projections`, `functions/varde_append`).
    public func migrate(_ migrations: [Migration], objects: [SQLObject]) throws -> [String] {
        try query("SELECT pg_advisory_lock(1447121988, 2)")
        defer { _ = try? query("SELECT pg_advisory_unlock(1447121988, 2)") }
        try execute(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer     PRIMARY KEY,
                name        text        NOT NULL,
                checksum    text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            );
            ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS replaced_checksum text;
            CREATE TABLE IF NOT EXISTS schema_objects (
                name        text        PRIMARY KEY,
                checksum    text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            );
            """)
        let applied = try recordedMigrations()
        var done: [String] = []
        for migration in migrations {
            if let checksum = applied[migration.version] {
                if checksum == migration.checksum { continue }
                guard migration.replaces.contains(checksum) else {
                    throw PGError(.protocolViolation, message: "migration \(migration.name) was changed after it was applied")
                }
                try query(
                    "UPDATE schema_migrations SET checksum = $2, replaced_checksum = $3 WHERE version = $1",
                    [migration.version, migration.checksum, checksum])
                continue
            }
            try transaction { connection in
                try connection.execute(migration.sql)
                try connection.query(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.checksum])
            }
            done.append(migration.name)
        }
        let recorded = try appliedObjects()
        try transaction { connection in
            for object in objects {
                let changed = recorded[object.name] != object.checksum
                guard changed || object.kind == .privileges else { continue }
                try connection.execute(object.sql)
                if changed {
                    try connection.query(
                        """
                        INSERT INTO schema_objects (name, checksum) VALUES ($1, $2)
                        ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, applied_at = now()
                        """, [object.name, object.checksum])
                    done.append(object.name)
                }
            }
        }
        return done
    }

    /// Version → checksum of what has been applied (empty before the first
    /// run), without the retired numbers (`Migration.retired`): what the
    /// numbered files of today must match.
    public func appliedMigrations() throws -> [Int: String] {
        try recordedMigrations().filter { !Migration.retired.contains($0.key) }
    }

    /// Name → checksum of the SQL objects applied (empty before the first run).
    public func appliedObjects() throws -> [String: String] {
        let exists = try query("SELECT to_regclass('schema_objects') IS NOT NULL").bool(0, 0) ?? false
        guard exists else { return [:] }
        let result = try query("SELECT name, checksum FROM schema_objects")
        var applied: [String: String] = [:]
        for row in 0..<result.rowCount {
            applied[try result.requireString(row, 0)] = try result.requireString(row, 1)
        }
        return applied
    }

    private func recordedMigrations() throws -> [Int: String] {
        let exists = try query("SELECT to_regclass('schema_migrations') IS NOT NULL").bool(0, 0) ?? false
        guard exists else { return [:] }
        let result = try query("SELECT version, checksum FROM schema_migrations")
        var applied: [Int: String] = [:]
        for row in 0..<result.rowCount {
            applied[Int(try result.requireInt(row, 0))] = try result.requireString(row, 1)
        }
        return applied
    }
}
