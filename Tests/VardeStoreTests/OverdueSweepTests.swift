import Foundation
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

/// The missing-measurement sweep against a real PostgreSQL: it reads the
/// projection to find candidates, decides on the log, records events, and
/// acts once even when two instances sweep at the same moment.
@Suite("Overdue sweep")
struct OverdueSweepTests {
    static let enrolledAt = Date(timeIntervalSince1970: 1_795_000_000)  // 2026-11-18
    static let nurse = ActorRef(subject: "nurse-1", role: "nurse")

    /// A repository on `database` with one kols patient enrolled at `enrolledAt`, projected.
    static func kolsPatient(_ database: Database, nationalID: String = "31129956715") async throws -> (PatientRepository, UUID) {
        let repository = PatientRepository(store: EventStore(database: database))
        let id = UUID()
        _ = try await repository.execute(
            id,
            .enroll(
                patientID: id, nationalID: try NationalIdentifier(nationalID), kommunenummer: "5001", program: .kols,
                teams: PatientTeams(kommune: UUID(), sykehus: UUID())),
            context: DecisionContext(now: enrolledAt, actor: ActorRef(subject: "clinician-1", role: "clinician")), metadata: .system)
        try await project(database)
        return (repository, id)
    }

    static func project(_ database: Database) async throws {
        try await Subscription(
            name: Projector.subscriptionName, database: database, handler: Projector(), head: Watermark(),
            logger: TestDatabase.logger
        ).catchUp()
    }

    static func sweep(_ repository: PatientRepository, hours: Double) async throws -> Int {
        try await OverdueSweep(patients: repository, interval: .seconds(3600), logger: TestDatabase.logger)
            .sweep(now: enrolledAt.addingTimeInterval(hours * 3600))
    }

    static func raised(_ repository: PatientRepository, _ id: UUID) async throws -> [AlertRaised] {
        try await repository.store.read(stream: StreamName.patient(id)).compactMap {
            if case .alertRaised(let e) = try PatientEvent.decode(type: $0.type, schemaVersion: $0.schemaVersion, data: $0.data) {
                e
            } else {
                nil
            }
        }
    }

    @Test("36 h after enrolment (24 h + 12 h grace, inclusive) spo2 and pulse are overdue: one yellow alert each, once")
    func raisesOnce() async throws {
        try await TestDatabase.with { database, _ in
            let (repository, id) = try await Self.kolsPatient(database)
            #expect(try await Self.sweep(repository, hours: 35.99) == 0)
            #expect(try await Self.raised(repository, id).isEmpty)

            #expect(try await Self.sweep(repository, hours: 36) == 1)
            let alerts = try await Self.raised(repository, id)
            #expect(alerts.map(\.rule.rawValue).sorted() == ["overdue.pulse", "overdue.spo2"])
            #expect(alerts.allSatisfy { $0.severity == .yellow && $0.readingId == nil && $0.overdueSince == Self.enrolledAt })
            #expect(alerts.allSatisfy { $0.thresholdVersion == 1 && $0.routedTo.count == 1 })

            // Later sweeps, before and after the projector caught up, add nothing.
            #expect(try await Self.sweep(repository, hours: 37) == 0)
            try await Self.project(database)
            #expect(try await Self.sweep(repository, hours: 40) == 0)
            #expect(try await Self.raised(repository, id).count == 2)
            let open = try await database.withConnection { c in
                try c.query("SELECT count(*) FROM alerts WHERE patient_id = $1 AND state = 'open' AND severity = 'yellow'", [id]).int(0, 0)
            }
            #expect(open == 2)
        }
    }

    @Test("two instances sweeping at the same moment raise the alerts once")
    func concurrentSweeps() async throws {
        try await TestDatabase.with { database, _ in
            let (repository, id) = try await Self.kolsPatient(database)
            var patients: [UUID] = [id]
            for nid in ["29100207042", "43022014103"] {
                let other = PatientRepository(store: EventStore(database: database))
                let pid = UUID()
                _ = try await other.execute(
                    pid,
                    .enroll(patientID: pid, nationalID: try NationalIdentifier(nid), kommunenummer: "5001", program: .kols, teams: nil),
                    context: DecisionContext(now: Self.enrolledAt, actor: Self.nurse), metadata: .system)
                patients.append(pid)
            }
            try await Self.project(database)
            // Two servers: separate repositories (separate caches), same database.
            let second = PatientRepository(store: EventStore(database: database))
            async let a = Self.sweep(repository, hours: 37)
            async let b = Self.sweep(second, hours: 37)
            let (ra, rb) = try await (a, b)
            #expect(ra + rb == 3, "each patient acted on by exactly one sweep (\(ra) + \(rb))")
            for pid in patients {
                #expect(try await Self.raised(repository, pid).map(\.rule.rawValue).sorted() == ["overdue.pulse", "overdue.spo2"])
            }
        }
    }

    @Test("while another instance holds the sweep lock, a sweep skips its round and records nothing; after it, the sweep acts")
    func sweepLockSkips() async throws {
        try await TestDatabase.with { database, _ in
            let (repository, id) = try await Self.kolsPatient(database)
            // Another instance's session: the same key, this schema's.
            let other = try database.dedicatedConnection()
            #expect(
                try other.query("SELECT pg_try_advisory_lock(hashtextextended('varde.overdue-sweep.' || current_schema(), 3))").bool(0, 0)
                    == true)
            #expect(try await Self.sweep(repository, hours: 37) == 0)
            #expect(try await Self.raised(repository, id).isEmpty)
            _ = try other.query("SELECT pg_advisory_unlock(hashtextextended('varde.overdue-sweep.' || current_schema(), 3))")
            #expect(try await Self.sweep(repository, hours: 37) == 1)
            #expect(try await Self.raised(repository, id).map(\.rule.rawValue).sorted() == ["overdue.pulse", "overdue.spo2"])
        }
    }

    @Test("a new spo2 reading resolves the overdue spo2 alert by itself; pulse stays overdue; a new gap alerts again")
    func readingResolves() async throws {
        try await TestDatabase.with { database, _ in
            let (repository, id) = try await Self.kolsPatient(database)
            #expect(try await Self.sweep(repository, hours: 37) == 1)
            let at = Self.enrolledAt.addingTimeInterval(38 * 3600)
            let (events, state, _) = try await repository.execute(
                id,
                .recordReading(
                    ReadingToRecord(
                        gatewayReadingID: "r-1", gateway: nil, measuredAt: at, value: .spo2(percent: 96),
                        asSent: ReadingAsSent(unit: "%", value: 96))),
                context: DecisionContext(now: at, actor: ActorRef(subject: "gw", role: "gateway")), metadata: .system)
            let resolved = events.compactMap { if case .alertResolved(let e) = $0.event { e } else { nil } }
            #expect(resolved.count == 1)
            #expect(resolved.first?.resolution == .autoResolved)
            #expect(resolved.first.flatMap { state.alerts[$0.alertId]?.rule } == .overdue(.spo2))
            #expect(state.activeAlert(rule: .overdue(.pulse)) != nil)

            try await Self.project(database)
            let rows = try await database.withConnection { c in
                let r = try c.query("SELECT rule, state, alert->>'resolution' FROM alerts WHERE patient_id = $1 ORDER BY rule", [id])
                return (0..<r.rowCount).map { "\(r.string($0, 0)!) \(r.string($0, 1)!) \(r.string($0, 2) ?? "-")" }
            }
            #expect(rows == ["overdue.pulse open -", "overdue.spo2 resolved autoResolved"])
            let status = try await database.withConnection { try $0.query("SELECT status FROM patients WHERE id = $1", [id]).string(0, 0) }
            #expect(status == "yellow")

            // The next gap counts from the reading: 36 h after it spo2 is overdue again (a new alert), pulse is still open.
            #expect(try await Self.sweep(repository, hours: 38 + 35.9) == 0)
            #expect(try await Self.sweep(repository, hours: 38 + 36) == 1)
            let spo2 = try await Self.raised(repository, id).filter { $0.rule == .overdue(.spo2) }
            #expect(spo2.count == 2)
            #expect(spo2.last?.overdueSince == at)
        }
    }

    @Test("a discharged patient is never swept")
    func discharged() async throws {
        try await TestDatabase.with { database, _ in
            let (repository, id) = try await Self.kolsPatient(database)
            _ = try await repository.execute(
                id, .discharge(reason: "avsluttet"),
                context: DecisionContext(now: Self.enrolledAt.addingTimeInterval(3600), actor: Self.nurse),
                metadata: .system)
            try await Self.project(database)
            #expect(try await Self.sweep(repository, hours: 48) == 0)
            #expect(try await Self.raised(repository, id).isEmpty)
        }
    }
}
