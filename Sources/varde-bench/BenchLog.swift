import ArgumentParser
import Foundation
import VardeCLI
import VardeCore
import VardeHTTP
import VardeSimulator
import VardeStore

/// Options shared by `varde-bench rebuild` and `varde-bench verify`.
struct BenchLogOptions: ParsableArguments {
    @Option(help: "Events to generate (about; whole patient batches).")
    var events: Int = 1_000_000

    @Option(help: "Use this existing bench schema (kept from an earlier run with --keep) instead of generating a log.")
    var schema: String?

    @Flag(help: "Keep the schema afterwards (reuse it with --schema).")
    var keep = false
}

/// A realistic log made fast: patients enrolled (kols, kommune + sykehus
/// team, a bound oximeter), then months of SpO2 and pulse readings decided with
/// `Patient.decide` in memory (about 3 % breach: alerts raised and updated;
/// nurses acknowledge and resolve some), appended through `varde_append` in
/// multi-patient batches of about 1,000 events, two writers at a time.
enum BenchLog {
    static let eventsPerPatient = 400
    static let batchEvents = 1_000

    static func generate(_ database: Database, events target: Int, progress: @escaping @Sendable (Int) -> Void) async throws -> Int {
        let store = EventStore(database: database)
        let kommune = UUID(), sykehus = UUID(), gateway = UUID()
        let admin = EventMetadata(actor: "bench-admin", role: "admin")
        for (id, kind) in [(kommune, TeamCreated.Kind.kommune), (sykehus, .sykehus)] {
            let event = AdminEvent.teamCreated(
                TeamCreated(
                    teamId: id, name: "Bench \(kind.rawValue)", kind: kind,
                    kommunenummer: kind == .kommune ? "5001" : nil, healthTrust: kind == .sykehus ? "St. Olavs hospital HF" : nil))
            _ = try await store.append(
                to: StreamName.team(id), expected: .noStream,
                [
                    NewEvent(id: UUID(), type: event.type, schemaVersion: event.schemaVersion, data: event.encode(), metadata: admin)
                ])
        }
        _ = try await GatewayAdmin(store: store).register(id: gateway, name: "Bench hub", metadata: admin, now: Date())
        let patients = max(2, target / eventsPerPatient)
        let writers = 2
        let written = try await withThrowingTaskGroup(of: Int.self) { group in
            for w in 0..<writers {
                let mine = Array(stride(from: w, to: patients, by: writers))
                group.addTask {
                    var generator = Generator(patients: mine, kommune: kommune, sykehus: sykehus, gateway: gateway)
                    var total = 0
                    while total < target / writers, let batch = generator.next() {
                        total += batch.reduce(0) { $0 + $1.events.count }
                        _ = try await store.append(batch)
                        progress(total)
                    }
                    return total
                }
            }
            return try await group.reduce(0, +)
        }
        return written + 4
    }

    /// One writer's patients, advanced a few commands each per batch.
    struct Generator {
        var ids: [UUID]
        var numbers: [Int]
        var states: [UUID: PatientState] = [:]
        var clocks: [UUID: Date] = [:]
        var readingCount: [UUID: Int] = [:]
        var cursor = 0
        let kommune: UUID, sykehus: UUID, gateway: UUID
        var random = SystemRandomNumberGenerator()
        static let start = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
        static let nurse = ActorRef(subject: "bench-nurse", role: "nurse")

        init(patients: [Int], kommune: UUID, sykehus: UUID, gateway: UUID) {
            self.numbers = patients
            self.ids = patients.map { _ in UUID() }
            self.kommune = kommune
            self.sykehus = sykehus
            self.gateway = gateway
        }

        /// About `batchEvents` events over the next patients in turn.
        mutating func next() -> [StreamAppend]? {
            guard !ids.isEmpty else { return nil }
            var appends: [StreamAppend] = []
            var count = 0
            var visited = 0
            while count < BenchLog.batchEvents, visited < ids.count {
                let id = ids[cursor]
                let number = numbers[cursor]
                cursor = (cursor + 1) % ids.count
                visited += 1
                let before = states[id]?.version ?? 0
                var events: [NewEvent] = []
                for _ in 0..<8 { events += step(id, number) }
                guard !events.isEmpty else { continue }
                count += events.count
                appends.append(
                    StreamAppend(stream: StreamName.patient(id), expected: before == 0 ? .noStream : .exact(before), events: events))
            }
            return appends.sorted { $0.stream < $1.stream }
        }

        /// Decides one command for the patient and folds it in place.
        mutating func step(_ id: UUID, _ number: Int) -> [NewEvent] {
            let clock = clocks[id] ?? Self.start
            let command: PatientCommand
            var actor = ActorRef(subject: "gateway:\(gateway.lowercasedText)", role: "gateway")
            var metadata = EventMetadata(actor: actor.subject, role: "gateway", gateway: gateway)
            if states[id] == nil {
                states[id] = .initial
                command = .enroll(
                    patientID: id, nationalID: try! NationalIdentifier(SyntheticIdentity.fodselsnummer(number)), kommunenummer: "5001",
                    program: .kols, teams: PatientTeams(kommune: kommune, sykehus: sykehus))
                actor = ActorRef(subject: "bench-clinician", role: "clinician")
                metadata = EventMetadata(actor: actor.subject, role: "clinician", team: kommune)
            } else if states[id]!.devices.isEmpty {
                command = .bindDevice(serial: "BENCH-OX-\(number)", kind: "pulseOximeter")
                actor = ActorRef(subject: "bench-clinician", role: "clinician")
                metadata = EventMetadata(actor: actor.subject, role: "clinician", team: kommune)
            } else if let open = states[id]!.alerts.values.first(where: { $0.isActive }), Int.random(in: 0..<4, using: &random) == 0 {
                command =
                    open.acknowledged == nil ? .acknowledgeAlert(open.id, note: "ringt pasienten") : .resolveAlert(open.id, note: "stabil")
                actor = Self.nurse
                metadata = EventMetadata(actor: actor.subject, role: "nurse", team: kommune)
            } else {
                let n = readingCount[id, default: 0]
                readingCount[id] = n + 1
                let roll = Int.random(in: 0..<100, using: &random)
                let value: MeasurementValue, sent: ReadingAsSent
                if n % 2 == 0 {
                    let v = roll < 3 ? Double(84 + roll) : Double(94 + roll % 5)
                    (value, sent) = (.spo2(percent: v), ReadingAsSent(unit: "%", value: v))
                } else {
                    let v = Double(60 + roll % 30)
                    (value, sent) = (.pulse(perMinute: v), ReadingAsSent(unit: "/min", value: v))
                }
                command = .recordReading(
                    ReadingToRecord(
                        gatewayReadingID: "g-\(number)-\(n)", gateway: gateway, deviceSerial: "BENCH-OX-\(number)",
                        measuredAt: clock, value: value, asSent: sent))
            }
            let context = DecisionContext(now: clock.addingTimeInterval(30), actor: actor, team: actor.role == "gateway" ? nil : kommune)
            clocks[id] = clock.addingTimeInterval(3 * 3600)
            let events: [PatientEvent]
            do {
                events = try Patient.decide(state: states[id]!, command: command, context: context)
            } catch {
                return []
            }
            for event in events { states[id]!.apply(event) }
            return events.map {
                NewEvent(
                    id: $0.requiredEventID ?? UUID(), type: $0.type, schemaVersion: $0.schemaVersion, data: $0.encode(), metadata: metadata)
            }
        }
    }
}

/// A bench schema holding a generated log (or the one named with --schema).
struct BenchLogSetup {
    let scratch: BenchScratch
    let database: Database
    let events: Int

    static func make(_ options: DatabaseOptions, _ log: BenchLogOptions) async throws -> BenchLogSetup {
        let scratch = try await BenchScratch.make(options, existing: log.schema)
        let database = scratch.database(maxConnections: 3)
        if log.schema != nil {
            let events = try await database.withConnection { try $0.query("SELECT count(*) FROM events").requireInt(0, 0) }
            print("using schema \(scratch.schema): \(events) events")
            return BenchLogSetup(scratch: scratch, database: database, events: Int(events))
        }
        let started = ContinuousClock.now
        let shown = ProgressMark()
        let events = try await BenchLog.generate(database, events: log.events) { done in
            if shown.passes(done, every: 100_000) { print("  generating: \(done) events by one writer…") }
        }
        let elapsed = (ContinuousClock.now - started).seconds
        let counts = try await database.withConnection { c in
            try [
                "SELECT count(DISTINCT stream_id) FROM events WHERE stream_id LIKE 'patient-%'",
                "SELECT count(*) FROM events WHERE type = 'ReadingRecorded'",
                "SELECT count(*) FROM events WHERE type LIKE 'Alert%'",
            ].map { try c.query($0).requireInt(0, 0) }
        }
        print(
            "generated \(events) events (\(counts[0]) patients, \(counts[1]) readings, \(counts[2]) alert events) in \(String(format: "%.1f", elapsed)) s, \(BenchFormat.rate(Double(events) / elapsed)) events/s through varde_append"
        )
        return BenchLogSetup(scratch: scratch, database: database, events: events)
    }

    func finish(keep: Bool) async {
        await database.close()
        if keep { await scratch.keep() } else { await scratch.drop() }
    }
}

/// Prints progress at most once per `every` (thread-safe).
final class ProgressMark: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func passes(_ value: Int, every: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard value >= next else { return false }
        next = (value / every + 1) * every
        return true
    }
}
