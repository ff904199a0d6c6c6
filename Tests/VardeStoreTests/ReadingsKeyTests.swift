import Foundation
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

/// `readings` is keyed by the position of each reading's event (sql/017), so
/// inserts append at the index's right edge; lookups by event id go through
/// the log.
@Suite("Readings keyed by their event's position")
struct ReadingsKeyTests {
    /// Readings whose key is not their own event's position (0 when all agree), and all readings.
    static func mismatched(_ database: Database) async throws -> (wrong: Int, all: Int) {
        try await database.withConnection { c in
            let r = try c.query(
                """
                SELECT count(*) FILTER (WHERE e.position IS DISTINCT FROM r.event_position), count(*)
                FROM readings r LEFT JOIN events e ON e.event_id = r.event_id AND e.type = 'ReadingRecorded'
                """)
            return (Int(try r.requireInt(0, 0)), Int(try r.requireInt(0, 1)))
        }
    }

    @Test("the projector keys each reading by its event; voids, scopes and reads find it by event id")
    func projected() async throws {
        try await TestDatabase.with { database, _ in
            var scenario = Scenario(database: database)
            try await scenario.admin()
            try await scenario.run(
                scenario.a,
                .enroll(
                    patientID: scenario.a, nationalID: try NationalIdentifier("31129956715"), kommunenummer: "5001", program: .kols,
                    teams: PatientTeams(kommune: scenario.k, sykehus: nil)), by: scenario.clinician)
            let kept = try await scenario.reading(scenario.a, "a1", .spo2(percent: 96))
            // Projected on an earlier page than its void: the void is an UPDATE found through the log.
            let voided = try await scenario.reading(scenario.a, "a2", .temperature(celsius: 36.9))
            try await scenario.run(scenario.a, .voidReading(readingID: voided, reason: "feil pasient"))

            let counts = try await Self.mismatched(database)
            #expect(counts == (0, 2))
            let (scope, keptRecord, voidedRecord, unknown) = try await database.read { s in
                (try s.readingScope(voided), try s.reading(kept), try s.reading(voided), try s.reading(UUID()))
            }
            #expect(scope?.patient == scenario.a)
            #expect(scope?.teams.kommune == scenario.k)
            #expect(keptRecord?.voided == false)
            #expect(keptRecord?.gatewayReadingID == "a1")
            #expect(voidedRecord?.voided == true)
            #expect(unknown == nil)
            // An alert id is an event-less id for `readings`: no reading, no scope.
            let enrolment = try await database.withConnection {
                try $0.query("SELECT event_id FROM events WHERE type = 'PatientEnrolled'").requireUUID(0, 0)
            }
            #expect(try await database.read { try $0.readingScope(enrolment) } == nil)
        }
    }

    @Test("migration 017 keys the readings of a database that had them keyed by event id")
    func upgrade() async throws {
        try await TestDatabase.with { database, _ in
            var scenario = Scenario(database: database)
            try await scenario.run()
            let before = try await Self.mismatched(database)
            #expect(before.wrong == 0 && before.all > 5)
            // Back to the shape before 017, as a database of the previous release has it.
            try await database.withConnection { c in
                try c.execute(
                    """
                    ALTER TABLE readings DROP CONSTRAINT readings_pkey;
                    ALTER TABLE readings DROP COLUMN event_position;
                    ALTER TABLE readings ADD CONSTRAINT readings_pkey PRIMARY KEY (event_id);
                    DELETE FROM schema_migrations WHERE version = 17;
                    """)
            }
            let applied = try await database.withConnection { try $0.migrate(try Migration.bundled(), objects: try SQLObject.bundled()) }
            #expect(applied == ["017_readings_by_position"])
            #expect(try await Self.mismatched(database) == (0, before.all))
            let key = try await database.withConnection { c in
                try c.query(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'readings_pkey' AND connamespace = current_schema()::regnamespace"
                )
                .requireString(0, 0)
            }
            #expect(key == "PRIMARY KEY (event_position)")
        }
    }
}
