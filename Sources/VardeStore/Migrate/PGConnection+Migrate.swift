import Foundation

extension PGConnection {
    /// Applies the migrations not yet recorded, each in its own transaction,
    /// under a session advisory lock so two `varde migrate` never race.
    /// Idempotent: a second run applies nothing. Refuses to run when an applied
    /// migration's file has changed since.
    public func migrate(_ migrations: [Migration]) throws -> [Migration] {
        try query("SELECT pg_advisory_lock(1447121988, 2)")
        defer { _ = try? query("SELECT pg_advisory_unlock(1447121988, 2)") }
        try execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version     integer     PRIMARY KEY,
                name        text        NOT NULL,
                checksum    text        NOT NULL,
                applied_at  timestamptz NOT NULL DEFAULT now()
            )
            """)
        let applied = try appliedMigrations()
        var done: [Migration] = []
        for migration in migrations {
            if let checksum = applied[migration.version] {
                guard checksum == migration.checksum else {
                    throw PGError(.protocolViolation, message: "migration \(migration.name) was changed after it was applied")
                }
                continue
            }
            try transaction { connection in
                try connection.execute(migration.sql)
                try connection.query(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                    [migration.version, migration.name, migration.checksum])
            }
            done.append(migration)
        }
        return done
    }

    /// Version → checksum of what has been applied (empty before the first run).
    public func appliedMigrations() throws -> [Int: String] {
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
