import Foundation
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

/// The least-privilege roles of sql/privileges/: `varde serve` connects as
/// varde_runtime, rebuild and whole-log verify run as varde_operator. Each
/// schema's migrations (run by its owner) grant them their rights.
@Suite("Database roles")
struct RoleTests {
    /// The SQLSTATE a statement fails with, or nil when it succeeds.
    static func failure(_ database: Database, _ sql: String) async -> String? {
        do {
            try await database.withConnection { try $0.execute(sql) }
            return nil
        } catch let error as PGError {
            return error.sqlState ?? "\(error)"
        } catch {
            return "\(error)"
        }
    }

    /// Statements that would change, remove or forge history, or switch off its guards.
    static func tampering(_ table: String) -> [String] {
        [
            "ALTER TABLE \(table) DISABLE TRIGGER \(table)_no_update_delete",
            "ALTER TABLE \(table) DISABLE TRIGGER \(table)_no_truncate",
            "ALTER TABLE \(table) DISABLE TRIGGER ALL",
            "DROP TRIGGER \(table)_no_update_delete ON \(table)",
            "UPDATE \(table) SET \(table == "events" ? "type = type" : "action = action")",
            "DELETE FROM \(table)",
            "TRUNCATE \(table)",
            "ALTER TABLE \(table) OWNER TO CURRENT_USER",
            "DROP TABLE \(table)",
        ]
    }

    @Test(
        "the runtime role appends through varde_append and runs the projector, but cannot disable a guard, update, delete, truncate or insert around varde_append"
    )
    func runtimeRole() async throws {
        try await TestDatabase.with { owner, schema in
            let runtime = TestDatabase.database(schema, as: TestDatabase.runtimeRole)
            do {
                #expect(try await runtime.withConnection { try $0.query("SELECT current_user").string(0, 0) } == TestDatabase.runtimeRole)
                // Commands and the projector, as the server runs them.
                var scenario = Scenario(database: runtime)
                try await scenario.run()
                let projected = try await ProjectionRebuildTests.snapshot(runtime)
                for table in ProjectionRebuild.tables {
                    #expect(projected[table]?.isEmpty == false, "the projector, as the runtime role, fills \(table)")
                }
                let appended = try await EventStore(database: runtime).append(
                    to: "probe-\(UUID().uuidString.lowercased())", expected: .noStream, [Fixture.event()])
                #expect(appended.count == 1)
                #expect(
                    await Self.failure(
                        runtime,
                        """
                        INSERT INTO access_log (request_id, subject, role, teams, action, route)
                        VALUES ('r-1', 'nurse-1', 'nurse', '{}', 'readPatient', 'GET /v1/patients/x')
                        """) == nil)

                for table in ["events", "access_log"] {
                    for statement in Self.tampering(table) {
                        #expect(await Self.failure(runtime, statement) == "42501", "\(statement)")
                    }
                }
                // No way into the log but varde_append: no INSERT, no setting the position sequence.
                #expect(
                    await Self.failure(
                        runtime,
                        """
                        INSERT INTO events (position, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, hash)
                        SELECT position + 1000, stream_id, version + 1000, gen_random_uuid(), type, schema_version, data, metadata, recorded_at, hash
                        FROM events LIMIT 1
                        """) == "42501")
                #expect(await Self.failure(runtime, "SELECT setval('events_position_seq', 1)") == "42501")
                #expect(await Self.failure(runtime, "SELECT nextval('events_position_seq')") == "42501")
                // Nor replace what guards or writes the log, or add objects of its own.
                #expect(
                    await Self.failure(
                        runtime,
                        """
                        CREATE OR REPLACE FUNCTION varde_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$
                        """) == "42501")
                #expect(await Self.failure(runtime, "CREATE TABLE \(schema).mine (x int)") == "42501")
                #expect(await Self.failure(runtime, "TRUNCATE readings") == "42501")

                // The owner's guards are still there, and the log is whole.
                #expect(await Self.failure(owner, "DELETE FROM events") == "VAAPP")
                let report = try await Verification(database: owner, logger: TestDatabase.logger).run()
                #expect(report.passed, "\(report.chainBreaks) \(report.projectionDifferences ?? []) \(report.alertDifferences)")
                #expect(report.events > 0)
            } catch {
                await runtime.close()
                throw error
            }
            await runtime.close()
        }
    }

    @Test(
        "the operator role rebuilds the projections and verifies the whole log, and the runtime role keeps its rights on the rebuilt tables; the operator cannot disable a guard either"
    )
    func operatorRole() async throws {
        try await TestDatabase.with { owner, schema in
            let runtime = TestDatabase.database(schema, as: TestDatabase.runtimeRole)
            let operator_ = TestDatabase.database(schema, as: TestDatabase.operatorRole)
            do {
                var scenario = Scenario(database: runtime)
                try await scenario.run()
                let live = try await ProjectionRebuildTests.snapshot(owner)

                let count = try await ProjectionRebuild(database: operator_, pageSize: 50).run()
                #expect(count == Int(try await EventStore(database: owner).headPosition()))
                #expect(try await ProjectionRebuildTests.snapshot(owner) == live)
                let owners = try await owner.withConnection { c in
                    try c.query(
                        """
                        SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class
                        WHERE relnamespace = current_schema()::regnamespace AND relname = ANY($1::text[])
                        """, [PGArray.text(ProjectionRebuild.tables)]
                    ).string(0, 0)
                }
                #expect(owners == TestDatabase.operatorRole)

                // The rebuilt tables carry the runtime role's grants: the projector writes on.
                for table in ProjectionRebuild.tables {
                    #expect(await Self.failure(runtime, "INSERT INTO \(table) SELECT * FROM \(table) WHERE false") == nil, "\(table)")
                    #expect(await Self.failure(runtime, "UPDATE \(table) SET position = position WHERE false") == nil, "\(table)")
                    #expect(await Self.failure(runtime, "DELETE FROM \(table) WHERE false") == nil, "\(table)")
                }
                _ = try await EventStore(database: runtime).append(
                    to: "probe-\(UUID().uuidString.lowercased())", expected: .noStream, [Fixture.event()])

                let report = try await Verification(database: operator_, logger: TestDatabase.logger).run()
                #expect(report.passed, "\(report.chainBreaks) \(report.projectionDifferences ?? []) \(report.alertDifferences)")
                #expect(report.projectionDifferences == [])

                for table in ["events", "access_log"] {
                    for statement in Self.tampering(table) {
                        #expect(await Self.failure(operator_, statement) == "42501", "\(statement)")
                    }
                }
            } catch {
                await runtime.close()
                await operator_.close()
                throw error
            }
            await runtime.close()
            await operator_.close()
        }
    }
}
