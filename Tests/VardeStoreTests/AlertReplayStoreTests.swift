import Foundation
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

/// The alert rules re-evaluated over the stored log: an honest log matches,
/// a forged alert decision is reported by stream and version.
@Suite("Audit: alert decisions replayed from the store")
struct AlertReplayStoreTests {
    static let kommune = UUID(uuidString: "11111111-1111-4111-8111-111111111111")!
    static let nurse = EventMetadata(actor: "nurse-1", role: "nurse")

    /// A kols patient: enrolled, oximeter bound, a normal reading, a yellow
    /// breach (AlertRaised), a red one (AlertUpdated), acknowledged.
    static func seed(_ database: Database) async throws -> (stream: String, alert: UUID) {
        let patients = PatientRepository(store: EventStore(database: database))
        let id = UUID()
        let t0 = Date().addingTimeInterval(-3600)
        func run(_ command: PatientCommand, _ minutes: Double) async throws -> [PatientEvent] {
            let context = DecisionContext(now: t0.addingTimeInterval(minutes * 60), actor: ActorRef(subject: "nurse-1", role: "nurse"))
            return try await patients.execute(id, command, context: context, metadata: nurse).events.map(\.event)
        }
        func reading(_ n: String, _ percent: Double, _ minutes: Double) -> PatientCommand {
            .recordReading(
                ReadingToRecord(
                    gatewayReadingID: "\(id)-\(n)", gateway: nil, deviceSerial: "OX-1", measuredAt: t0.addingTimeInterval(minutes * 60),
                    value: .spo2(percent: percent), asSent: ReadingAsSent(unit: "%", value: percent)))
        }
        _ = try await run(
            .enroll(
                patientID: id, nationalID: try NationalIdentifier("31129956715"), kommunenummer: "5001", program: .kols,
                teams: PatientTeams(kommune: kommune, sykehus: nil)), 0)
        _ = try await run(.bindDevice(serial: "OX-1", kind: "pulseOximeter"), 1)
        _ = try await run(reading("r1", 96, 2), 2.5)
        let raised = try await run(reading("r2", 88, 3), 3.5)
        let alert = try #require(raised.compactMap { if case .alertRaised(let a) = $0 { a.alertId } else { nil } }.first)
        #expect(try await run(reading("r3", 84, 4), 4.5).map(\.type) == ["ReadingRecorded", "AlertUpdated"])
        _ = try await run(.acknowledgeAlert(alert, note: nil), 5)
        return (StreamName.patient(id), alert)
    }

    static func version(_ database: Database, _ stream: String, _ type: String) async throws -> Int64 {
        try await database.withConnection {
            try $0.query("SELECT version FROM events WHERE stream_id = $1 AND type = $2 ORDER BY version LIMIT 1", [stream, type])
                .requireInt(0, 0)
        }
    }

    static func tamper(_ database: Database, _ sql: String, _ parameters: [(any PGParameter)?]) async throws {
        try await database.withConnection { c in
            try c.execute("ALTER TABLE events DISABLE TRIGGER events_no_update_delete")
            _ = try c.query(sql, parameters)
            try c.execute("ALTER TABLE events ENABLE TRIGGER events_no_update_delete")
        }
    }

    static func alertDifferences(_ database: Database, _ stream: String? = nil) async throws -> [AlertVerifier.Difference] {
        try await database.withConnection { try AlertVerifier().verify($0, stream: stream).differences }
    }

    @Test("an honest log reproduces every alert decision; Verification passes")
    func clean() async throws {
        try await TestDatabase.with { database, _ in
            let (stream, _) = try await Self.seed(database)
            _ = try await Self.seed(database)
            #expect(try await Self.alertDifferences(database) == [])
            let report = try await Verification(database: database, logger: TestDatabase.logger).run(stream: stream)
            #expect(report.passed, "\(report.chainBreaks) \(report.alertDifferences)")
            #expect((report.streams, report.events) == (1, 10))  // enrolment (3), binding, 3 readings, raise, update, ack
        }
    }

    @Test(
        "a tampered AlertRaised body is reported at its version",
        arguments: [
            #"jsonb_set(data, '{severity}', '"red"')"#,
            #"jsonb_set(data, '{value}', '80')"#,
            #"jsonb_set(data, '{thresholdVersion}', '2')"#,
        ])
    func tamperedRaised(change: String) async throws {
        try await TestDatabase.with { database, _ in
            let (stream, _) = try await Self.seed(database)
            let (other, _) = try await Self.seed(database)
            let version = try await Self.version(database, stream, "AlertRaised")
            try await Self.tamper(database, "UPDATE events SET data = \(change) WHERE stream_id = $1 AND version = $2", [stream, version])
            let differences = try await Self.alertDifferences(database)
            #expect(differences.map(\.stream) == [stream], "\(differences)")
            #expect(differences.first?.version == version)
            #expect(try await Self.alertDifferences(database, other) == [])

            let report = try await Verification(database: database, logger: TestDatabase.logger).run(stream: stream)
            #expect(!report.passed)
            #expect(report.alertDifferences.first?.version == version)
            #expect(report.chainBreaks.map(\.version) == [version])
        }
    }

    @Test("a deleted AlertRaised is reported where the rules wanted it")
    func deletedRaised() async throws {
        try await TestDatabase.with { database, _ in
            let (stream, _) = try await Self.seed(database)
            let version = try await Self.version(database, stream, "AlertRaised")
            try await Self.tamper(database, "DELETE FROM events WHERE stream_id = $1 AND version = $2", [stream, version])
            let differences = try await Self.alertDifferences(database, stream)
            #expect(differences.first?.version == version, "\(differences)")  // right after the reading, where AlertRaised belonged
            let report = try await Verification(database: database, logger: TestDatabase.logger).run(stream: stream)
            #expect(!report.passed)
            #expect(report.chainBreaks.map(\.key) == ["\(stream) \(version) - gap"])
        }
    }
}
