import Foundation
import Testing
import VardeCore
import VardeStore
import VardeTestSupport

/// A rebuilt projection equals the live one row for row: the live projector
/// follows a varied scenario page by page (with its cache, and once as a
/// fresh instance that reloads streams), then `ProjectionRebuild` replays the
/// whole log from zero, with large and with tiny pages.
@Suite("Projection rebuild")
struct ProjectionRebuildTests {
    /// Primary key of each projection table, for a stable row order.
    static let keys = [
        "teams": "id", "gateways": "id", "gateway_keys": "key_id", "patients": "id", "device_bindings": "serial, bound_at",
        "readings": "event_id", "alerts": "id", "alert_feed": "team_id, position, seq",
    ]

    static func snapshot(_ database: Database) async throws -> [String: [String]] {
        try await database.withConnection { c in
            var out: [String: [String]] = [:]
            for table in ProjectionRebuild.tables {
                let r = try c.query("SELECT to_jsonb(t)::text FROM \(table) t ORDER BY \(keys[table]!)")
                out[table] = (0..<r.rowCount).map { r.string($0, 0)! }
            }
            return out
        }
    }

    @Test("every projection table is covered by the snapshot")
    func tablesCovered() {
        #expect(Set(ProjectionRebuild.tables) == Set(Self.keys.keys))
    }

    @Test("after a varied scenario, a rebuild (page size 5000, then 3) equals the live projection row for row", arguments: [5000, 3])
    func rebuildEqualsLive(pageSize: Int) async throws {
        try await TestDatabase.with { database, _ in
            var scenario = Scenario(database: database)
            try await scenario.run()
            let live = try await Self.snapshot(database)
            for table in ProjectionRebuild.tables {
                #expect(live[table]?.isEmpty == false, "the scenario fills \(table)")
            }
            #expect(live["alert_feed"]!.count > 20)

            let seen = Progress()
            let count = try await ProjectionRebuild(database: database, pageSize: pageSize).run { seen.add($0, $1) }
            let progress = seen.all
            let head = try await EventStore(database: database).headPosition()
            #expect(count == Int(head))
            #expect(progress.last?.0 == head)
            #expect(progress.count >= (pageSize == 3 ? Int(head) / 3 : 1))

            let rebuilt = try await Self.snapshot(database)
            for table in ProjectionRebuild.tables {
                #expect(rebuilt[table]!.count == live[table]!.count, "\(table) row count")
                for (a, b) in zip(live[table]!, rebuilt[table]!) where a != b {
                    Issue.record("\(table) differs:\n live:    \(a)\n rebuilt: \(b)")
                    break
                }
            }
            #expect(rebuilt == live)
            #expect(try await database.withConnection { try $0.checkpoint(Projector.subscriptionName) } == head)
        }
    }

    @Test("a rebuild racing a live projector (a running server) still ends equal to the live projection")
    func rebuildRacingLiveProjector() async throws {
        try await TestDatabase.with { database, _ in
            var scenario = Scenario(database: database)
            try await scenario.run()
            let live = try await Self.snapshot(database)
            let head = try await EventStore(database: database).headPosition()
            for _ in 0..<3 {
                let server = Subscription(
                    name: Projector.subscriptionName, database: database, handler: Projector(),
                    head: Watermark(), pageSize: 2, logger: TestDatabase.logger)
                let finished = Finished()
                let rebuild = Task {
                    defer { Task { await finished.set() } }
                    return try await ProjectionRebuild(database: database, pageSize: 3).run()
                }
                // The server keeps projecting while the rebuild runs: pages
                // either of them writes are skipped by the other.
                while await !finished.value { try await server.catchUp() }
                let count = try await rebuild.value
                try await server.catchUp()
                #expect(count <= Int(head))
                #expect(try await Self.snapshot(database) == live)
                #expect(try await database.withConnection { try $0.checkpoint(Projector.subscriptionName) } == head)
            }
        }
    }

    /// Every index and constraint of the projection tables, by name, with its definition.
    static func indexes(_ database: Database) async throws -> [String] {
        try await database.withConnection { c in
            let r = try c.query(
                """
                SELECT indexname || ': ' || replace(indexdef, current_schema() || '.', '') FROM pg_indexes
                WHERE schemaname = current_schema() AND tablename = ANY($1::text[]) ORDER BY 1
                """, [PGArray.text(ProjectionRebuild.tables)])
            let k = try c.query(
                """
                SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint
                WHERE connamespace = current_schema()::regnamespace AND conrelid <> 0 ORDER BY 1
                """)
            return (0..<r.rowCount).map { r.string($0, 0)! } + (0..<k.rowCount).map { k.string($0, 0)! }
        }
    }

    @Test("the rebuilt tables carry the live tables' indexes and constraints, under the same names")
    func indexesKept() async throws {
        try await TestDatabase.with { database, _ in
            var scenario = Scenario(database: database)
            try await scenario.run()
            let before = try await Self.indexes(database)
            #expect(before.contains { $0.hasPrefix("readings_patient_kind_time: CREATE INDEX") })
            #expect(before.contains { $0.hasPrefix("readings_pkey: PRIMARY KEY (event_position)") })
            #expect(before.contains { $0.hasPrefix("teams_kind_check: CHECK") })
            _ = try await ProjectionRebuild(database: database, pageSize: 4).run()
            #expect(try await Self.indexes(database) == before)
            // The scratch schema is gone.
            let left = try await database.withConnection {
                try $0.query("SELECT count(*) FROM pg_namespace WHERE nspname LIKE current_schema() || '_rebuild%'").requireInt(0, 0)
            }
            #expect(left == 0)
        }
    }

    @Test("readers see the whole old projection while the rebuild runs, and the rebuilt one after")
    func readersNeverSeeAHalfBuiltProjection() async throws {
        try await TestDatabase.with { database, _ in
            var scenario = Scenario(database: database)
            try await scenario.run()
            let live = try await Self.snapshot(database)
            let counts = try await database.withConnection { c in
                try ["readings", "alert_feed", "patients"].map { try c.query("SELECT count(*) FROM \($0)").requireInt(0, 0) }
            }
            // A reader on a connection of its own, asked after every page.
            let reader = try await database.withConnection { _ in try database.dedicatedConnection() }
            let seen = Progress()
            _ = try await ProjectionRebuild(database: database, pageSize: 3).run { position, _ in
                let now =
                    (try? ["readings", "alert_feed", "patients"].map { try reader.query("SELECT count(*) FROM \($0)").requireInt(0, 0) })
                    ?? []
                seen.add(position, now == counts ? 1 : 0)
            }
            #expect(seen.all.count > 10)
            #expect(seen.all.allSatisfy { $0.1 == 1 }, "a reader saw a part of the projection")
            #expect(try await Self.snapshot(database) == live)
        }
    }

    @Test("a rebuild refuses to run beside another on the same schema, and clears what a crashed one left")
    func oneRebuildAtATime() async throws {
        try await TestDatabase.with { database, schema in
            var scenario = Scenario(database: database)
            try await scenario.run()
            let live = try await Self.snapshot(database)
            // What a crashed rebuild leaves: its schema, half filled.
            try await database.withConnection { c in
                try c.execute("CREATE SCHEMA \(schema)_rebuild; CREATE TABLE \(schema)_rebuild.readings (junk int)")
            }
            let other = try await database.withConnection { _ in try database.dedicatedConnection() }
            try await database.withConnection { _ in
                _ = try other.query("SELECT pg_advisory_lock(hashtextextended($1, 5))", ["varde.rebuild." + schema])
            }
            await #expect(throws: LockBusy.self) { try await ProjectionRebuild(database: database).run() }
            try await database.withConnection { _ in
                _ = try other.query("SELECT pg_advisory_unlock(hashtextextended($1, 5))", ["varde.rebuild." + schema])
            }
            _ = try await ProjectionRebuild(database: database).run()
            #expect(try await Self.snapshot(database) == live)
        }
    }
}

/// Progress calls, from whichever thread the rebuild makes them on.
final class Progress: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [(Int64, Int)] = []
    func add(_ position: Int64, _ count: Int) { lock.withLock { calls.append((position, count)) } }
    var all: [(Int64, Int)] { lock.withLock { calls } }
}

private actor Finished {
    var value = false
    func set() { value = true }
}

/// The scenario: teams and a gateway (admin streams), three patients with
/// devices, readings with breaches, dedup, the alert workflow, voids,
/// thresholds, reassignment, routing, an overdue sweep, a moved device and a discharge.
struct Scenario {
    let database: Database
    let repository: PatientRepository
    var now = Date(timeIntervalSince1970: 1_795_000_000)
    let live: Subscription<Projector>
    let k = UUID(), o = UUID(), s = UUID()
    let a = UUID(), b = UUID(), c = UUID()
    let clinician = ActorRef(subject: "clinician-1", role: "clinician")
    let nurse = ActorRef(subject: "nurse-1", role: "nurse")

    init(database: Database) {
        self.database = database
        repository = PatientRepository(store: EventStore(database: database))
        live = Subscription(
            name: Projector.subscriptionName, database: database, handler: Projector(), head: Watermark(),
            pageSize: 7, logger: TestDatabase.logger)
    }

    @discardableResult
    mutating func run(_ patient: UUID, _ command: PatientCommand, by actor: ActorRef? = nil, project: Bool = true) async throws
        -> [PatientEvent]
    {
        now += 600
        let (events, _, _) = try await repository.execute(
            patient, command, context: DecisionContext(now: now, actor: actor ?? nurse), metadata: .system)
        if project { try await live.catchUp() }
        return events.map(\.event)
    }

    mutating func reading(_ patient: UUID, _ id: String, _ value: MeasurementValue, project: Bool = true) async throws -> UUID {
        let events = try await run(
            patient,
            .recordReading(
                ReadingToRecord(
                    gatewayReadingID: id, gateway: nil, deviceSerial: nil, measuredAt: now.addingTimeInterval(300), value: value,
                    asSent: ReadingAsSent(unit: "x"))), project: project)
        guard case .readingRecorded(let r) = events.first else { throw SeedFailure() }
        return r.readingId
    }

    func alert(_ patient: UUID, _ rule: AlertRule) async throws -> UUID {
        guard let id = try await repository.state(of: patient).activeAlert(rule: rule)?.id else { throw SeedFailure() }
        return id
    }

    struct SeedFailure: Error {}

    mutating func admin() async throws {
        let store = EventStore(database: database)
        let meta = EventMetadata.system
        for (id, kind) in [(k, TeamCreated.Kind.kommune), (o, .kommune), (s, .sykehus)] {
            let e = TeamCreated(
                teamId: id, name: "Team \(kind)", kind: kind, kommunenummer: kind == .kommune ? "5001" : nil,
                healthTrust: kind == .sykehus ? "St. Olavs hospital HF" : nil)
            _ = try await store.append(
                to: StreamName.team(id), expected: .noStream,
                [NewEvent(id: UUID(), type: TeamCreated.type, data: AdminEvent.teamCreated(e).encode(), metadata: meta)])
        }
        let gw = UUID()
        let events: [AdminEvent] = [
            .gatewayRegistered(GatewayRegistered(gatewayId: gw, name: "Hub")),
            .gatewayKeyIssued(GatewayKeyIssued(gatewayId: gw, keyId: "k1", hash: "h1", at: now)),
            .gatewayKeyIssued(GatewayKeyIssued(gatewayId: gw, keyId: "k2", hash: "h2", at: now)),
        ]
        _ = try await store.append(
            to: StreamName.gateway(gw), expected: .noStream,
            events.map { NewEvent(id: UUID(), type: $0.type, data: $0.encode(), metadata: meta) })
        try await live.catchUp()
        let revoke = AdminEvent.gatewayKeyRevoked(GatewayKeyRevoked(gatewayId: gw, keyId: "k1", at: now + 60))
        _ = try await store.append(
            to: StreamName.gateway(gw), expected: .exact(3),
            [NewEvent(id: UUID(), type: revoke.type, data: revoke.encode(), metadata: meta)])
    }

    mutating func run() async throws {
        try await admin()
        let ids = [(a, "31129956715", Program.kols, s as UUID?), (b, "29100207042", .hjertesvikt, s), (c, "43022014103", .kols, nil)]
        for (id, nid, program, sykehus) in ids {
            try await run(
                id,
                .enroll(
                    patientID: id, nationalID: try NationalIdentifier(nid), kommunenummer: "5001", program: program,
                    teams: PatientTeams(kommune: k, sykehus: sykehus)), by: clinician)
        }
        try await run(a, .bindDevice(serial: "OX-1", kind: "pulseOximeter"), by: clinician)
        try await run(b, .bindDevice(serial: "SC-1", kind: "scale"), by: clinician, project: false)
        try await run(b, .bindDevice(serial: "BP-1", kind: "bloodPressureMonitor"), by: clinician)

        // Patient A: yellow, a further breach, red, pulse and a harmless temperature.
        try await reading(a, "a1", .spo2(percent: 88))
        try await reading(a, "a2", .spo2(percent: 87), project: false)
        try await reading(a, "a3", .spo2(percent: 84))
        try await reading(a, "a4", .pulse(perMinute: 120))
        let temperature = try await reading(a, "a5", .temperature(celsius: 36.8))
        try await run(a, .acknowledgeAlert(try await alert(a, .spo2Low), note: "ringte"))
        try await run(a, .escalateAlert(try await alert(a, .spo2Low), note: nil))
        try await run(a, .resolveAlert(try await alert(a, .pulseHigh), note: "ok"))
        try await run(a, .voidReading(readingID: temperature, reason: "feil pasient"))

        // Patient B: weight gain, a blood pressure alert withdrawn by voiding its only reading, routing.
        try await reading(b, "b1", .weight(kg: 80))
        try await reading(b, "b2", .weight(kg: 82.5), project: false)
        let pressure = try await reading(b, "b3", .bloodPressure(systolic: 185, diastolic: 95, pulse: 72))
        try await run(b, .voidReading(readingID: pressure, reason: "mansjett feil"))
        try await run(b, .changeRouting(.yellowAlsoToSykehus), by: clinician)
        try await reading(b, "b4", .weight(kg: 83.1))

        // Thresholds: A gets version 2; a later reading is judged by it.
        var custom = ThresholdSet.defaults(for: .kols)
        custom.spo2Low = .init(yellow: 92, red: 88)
        try await run(a, .changeThresholds(custom, reason: "stabil, strengere grense"), by: clinician)
        try await run(a, .resolveAlert(try await alert(a, .spo2Low), note: nil))
        try await reading(a, "a6", .spo2(percent: 91))

        // Reassignment moves A's open alerts to the other kommune team.
        try await run(a, .assignTeams(kommune: o, sykehus: s), by: clinician)

        // C is overdue; the sweep raises through the log; the device moves from A to C; C is discharged.
        try await live.catchUp()
        _ = try await OverdueSweep(patients: repository, interval: .seconds(3600), logger: TestDatabase.logger)
            .sweep(now: now.addingTimeInterval(40 * 3600))
        now += 40 * 3600
        try await live.catchUp()
        try await run(a, .unbindDevice(serial: "OX-1"), by: clinician)
        try await run(c, .bindDevice(serial: "OX-1", kind: "pulseOximeter"), by: clinician)
        try await reading(c, "c1", .spo2(percent: 86))
        try await run(c, .discharge(reason: "avsluttet oppfølging"), by: clinician, project: false)
        // A fresh projector instance (a restart) must reload streams, not trust a cache.
        try await Subscription(
            name: Projector.subscriptionName, database: database, handler: Projector(), head: Watermark(),
            pageSize: 2, logger: TestDatabase.logger
        ).catchUp()
        try await reading(b, "b5", .weight(kg: 79.5))
        try await live.catchUp()
    }
}
