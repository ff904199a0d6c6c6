import Foundation
import Testing
import VardeStore
import VardeTestSupport

/// sql/ as numbered migrations plus functions/, triggers/, privileges/
/// (sql/README.md), and the way databases migrated before that layout move to it.
@Suite("Database: SQL objects one per file")
struct MigrationLayoutTests {
    @Test("each function is defined once, and varde_append uses the one canonical encoding")
    func oneDefinitionEach() throws {
        let migrations = try Migration.bundled(), objects = try SQLObject.bundled()
        let everything = migrations.map(\.sql) + objects.map(\.sql)
        for function in ["varde_append", "varde_event_canonical", "varde_reject_change", "varde_time"] {
            let defining = everything.filter {
                $0.contains("CREATE FUNCTION \(function)(") || $0.contains("CREATE OR REPLACE FUNCTION \(function)(")
            }
            #expect(defining.count == 1, "\(function) is created in \(defining.count) files")
        }
        #expect(objects.map(\.name).contains("functions/varde_append"))
        let append = try #require(objects.first { $0.name == "functions/varde_append" })
        #expect(append.sql.contains("varde_event_canonical(x.stream"))
        #expect(!append.sql.contains("convert_to("))
        #expect(!migrations.contains { $0.sql.contains("CREATE FUNCTION") || $0.sql.contains("CREATE TRIGGER") })
        #expect(migrations.allSatisfy { !Migration.retired.contains($0.version) })
        // Functions before the triggers that call them, privileges last.
        #expect(
            objects.map(\.kind)
                == objects.map(\.kind).sorted { SQLObject.Kind.allCases.firstIndex(of: $0)! < SQLObject.Kind.allCases.firstIndex(of: $1)! })
    }

    @Test("a database migrated before the layout (002, 003, 008–010 applied, 006 with its triggers) is accepted and ends in the same state")
    func earlierLayoutAccepted() async throws {
        try await TestDatabase.with { database, _ in
            let migrations = try Migration.bundled(), objects = try SQLObject.bundled()
            let access = try #require(migrations.first { $0.version == 6 })
            let earlier = try #require(access.replaces.first)
            // What the runner of the earlier layout recorded.
            try await database.withConnection { c in
                try c.query("UPDATE schema_migrations SET checksum = $1 WHERE version = 6", [earlier])
                for (version, name) in [
                    (2, "002_events_append_only"), (3, "003_varde_append"), (8, "008_time_format"),
                    (9, "009_append_outside_the_lock"), (10, "010_append_set_based"),
                ] {
                    try c.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, 'x')", [version, name])
                }
                try c.execute("DELETE FROM schema_objects")
            }
            let applied = try await database.withConnection { try $0.migrate(migrations, objects: objects) }
            #expect(applied == objects.map(\.name))
            let recorded = try await database.withConnection { try $0.appliedMigrations() }
            #expect(recorded == Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0.checksum) }))
            let replaced = try await database.withConnection {
                try $0.query("SELECT replaced_checksum FROM schema_migrations WHERE version = 6").string(0, 0)
            }
            #expect(replaced == earlier)
            #expect(try await database.withConnection { try $0.migrate(migrations, objects: objects) }.isEmpty)

            // Another earlier text of 006 is still refused.
            try await database.withConnection { try $0.query("UPDATE schema_migrations SET checksum = 'other' WHERE version = 6") }
            await #expect(throws: PGError.self) {
                try await database.withConnection { try $0.migrate(migrations, objects: objects) }
            }
        }
    }

    @Test("a function whose file changed is applied again, once; an unchanged one is not")
    func changedObjectReapplied() async throws {
        try await TestDatabase.with { database, _ in
            let migrations = try Migration.bundled()
            var objects = try SQLObject.bundled()
            let index = try #require(objects.firstIndex { $0.name == "functions/varde_time" })
            objects[index].sql = objects[index].sql.replacingOccurrences(of: "HH24:MI:SS.MS", with: "HH24:MI")
            let edited = objects
            #expect(try await database.withConnection { try $0.migrate(migrations, objects: edited) } == ["functions/varde_time"])
            #expect(
                try await database.withConnection {
                    try $0.query("SELECT varde_time('2026-11-23T08:00:30.250Z')").string(0, 0)
                } == "2026-11-23T08:00Z")
            #expect(try await database.withConnection { try $0.migrate(migrations, objects: edited) }.isEmpty)
        }
    }

    @Test("a numbered migration may not take a retired number")
    func retiredNumberRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appending(path: "varde-sql-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "SELECT 1".write(to: folder.appending(path: "001_events.sql"), atomically: true, encoding: .utf8)
        #expect(try Migration.load(from: folder).map(\.version) == [1])
        try "SELECT 1".write(to: folder.appending(path: "003_new.sql"), atomically: true, encoding: .utf8)
        #expect(throws: PGError.self) { try Migration.load(from: folder) }
    }
}
