import Foundation
import Testing
import VardeStore
import VardeTestSupport

@Suite("Database: pool and migrations")
struct DatabaseTests {
    @Test("migrations are recorded and a second run applies nothing")
    func migrateIdempotent() async throws {
        try await TestDatabase.with { database, _ in
            let migrations = try Migration.bundled(), objects = try SQLObject.bundled()
            #expect(migrations.first?.version == 1)
            #expect(migrations.map(\.version) == migrations.map(\.version).sorted())
            let again = try await database.withConnection { try $0.migrate(migrations, objects: objects) }
            #expect(again.isEmpty)
            let applied = try await database.withConnection { try $0.appliedMigrations() }
            #expect(applied.count == migrations.count)
            #expect(applied[1] == migrations[0].checksum)
        }
    }

    @Test("every connection renders time in UTC and never compiles a plan (no JIT), however costly it looks")
    func sessionSettings() async throws {
        try await TestDatabase.with { database, _ in
            try await database.withConnection { c in
                #expect(try c.query("SHOW TimeZone").string(0, 0) == "UTC")
                #expect(try c.query("SHOW jit").string(0, 0) == "off")
                try c.execute("SET jit_above_cost = 0")
                let plan = try c.query("EXPLAIN (ANALYZE, FORMAT JSON) SELECT sum(g) FROM generate_series(1, 1000) g").string(0, 0) ?? ""
                #expect(plan.contains("\"Execution Time\""))
                #expect(!plan.contains("\"JIT\""))
            }
        }
    }

    @Test("an edited migration is refused")
    func editedMigration() async throws {
        try await TestDatabase.with { database, _ in
            var migrations = try Migration.bundled()
            migrations[0].sql += "\n-- edited"
            let edited = migrations, objects = try SQLObject.bundled()
            await #expect(throws: PGError.self) {
                try await database.withConnection { try $0.migrate(edited, objects: objects) }
            }
        }
    }

    @Test("a server error carries its SQLSTATE; parameters are never pasted into SQL")
    func errorsAndParameters() async throws {
        try await TestDatabase.with { database, _ in
            let error = await #expect(throws: PGError.self) {
                try await database.withConnection { try $0.query("SELECT 1/0") }
            }
            #expect(error?.sqlState == "22012")
            #expect(error?.description.contains("1/0") == false)
            let hostile = "'); DROP TABLE events; --"
            let echoed = try await database.withConnection { try $0.query("SELECT $1::text", [hostile]).string(0, 0) }
            #expect(echoed == hostile)
            #expect(try await EventStore(database: database).headPosition() == 0)
        }
    }

    @Test("connections killed by the server are replaced without the caller noticing")
    func reconnects() async throws {
        try await TestDatabase.with(maxConnections: 3) { database, schema in
            // Open three pooled connections, then terminate them from outside.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 {
                    group.addTask { _ = try await database.withConnection { try $0.query("SELECT pg_sleep(0.05)") } }
                }
                try await group.waitForAll()
            }
            let admin = Database(conninfo: TestDatabase.conninfo, maxConnections: 1, logger: TestDatabase.logger)
            let killed = try await admin.withConnection { connection in
                try connection.query(
                    """
                    SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                    WHERE application_name = 'varde' AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep%'
                    """
                ).int(0, 0)
            }
            await admin.close()
            #expect((killed ?? 0) >= 1)
            try await Task.sleep(for: .milliseconds(100))
            for _ in 0..<6 {
                let one = try await database.withConnection { try $0.query("SELECT 1").int(0, 0) }
                #expect(one == 1)
            }
            _ = schema
        }
    }
}
