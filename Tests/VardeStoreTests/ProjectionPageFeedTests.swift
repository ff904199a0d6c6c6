import Foundation
import Testing

@testable import VardeCore
@testable import VardeStore

/// The feed and alert rows the projector writes come from Core's `AlertFeed`:
/// for a patient's events, a page records exactly the entries
/// `AlertFeed.changes(before:applying:)` gives (the function the feed tests
/// exercise), one row per team, numbered within the event. No database needed.
@Suite struct ProjectionPageFeedTests {
    static let t0 = Date(timeIntervalSince1970: 1_740_000_000)
    static let patient = UUID(uuidString: "0b3c1d9e-6f0a-4a8e-9d55-1c2b3a4d5e6f")!
    static let kommune = UUID(uuidString: "11111111-1111-4111-8111-111111111111")!
    static let sykehus = UUID(uuidString: "22222222-2222-4222-8222-222222222222")!
    static let otherKommune = UUID(uuidString: "33333333-3333-4333-8333-333333333333")!
    static let gateway = UUID(uuidString: "44444444-4444-4444-8444-444444444444")!

    /// A feed row without the database's framing.
    struct Row: Equatable, CustomStringConvertible {
        var team: UUID, position: Int64, seq: Int, alert: UUID, patient: UUID, change: String, item: ProjectionRows.FeedItem
        var description: String { "\(position).\(seq) \(change) \(item.rule) → \(team)" }
    }

    /// A stream with every kind of feed entry: raises, an update that widens the routing, an
    /// acknowledgement, a reassignment and a routing change that move several active alerts,
    /// an escalation, a withdrawal by voiding, a manual resolution and overdue raises.
    static func stream() throws -> [PatientEvent] {
        var state = PatientState.initial
        var out: [PatientEvent] = []
        func run(_ command: PatientCommand, _ hours: Double) throws {
            let context = DecisionContext(now: t0.addingTimeInterval(hours * 3600), actor: ActorRef(subject: "nurse-1", role: "nurse"))
            let events = try Patient.decide(state: state, command: command, context: context)
            for e in events { state.apply(e) }
            out += events
        }
        func reading(_ id: String, _ value: MeasurementValue, _ hours: Double) throws {
            try run(
                .recordReading(
                    ReadingToRecord(
                        gatewayReadingID: id, gateway: gateway, deviceSerial: "dev-1", measuredAt: t0.addingTimeInterval(hours * 3600),
                        value: value, asSent: ReadingAsSent(unit: "x", value: 1))), hours)
        }
        func active(_ rule: AlertRule) throws -> UUID { try #require(state.activeAlert(rule: rule)?.id) }

        try run(
            .enroll(
                patientID: patient, nationalID: try NationalIdentifier("31129956715"), kommunenummer: "0301", program: .kols,
                teams: PatientTeams(kommune: kommune, sykehus: sykehus)), 0)
        var plan = ThresholdSet.defaults(for: .kols)
        plan.expected = [ThresholdSet.Expected(kind: .weight)]
        try run(.changeThresholds(plan, reason: "weigh daily"), 0)
        try reading("r1", .spo2(percent: 88), 1)
        try reading("r2", .pulse(perMinute: 120), 1)
        try reading("r3", .spo2(percent: 84), 2)
        try run(.acknowledgeAlert(try active(.spo2Low), note: "ringte"), 3)
        try run(.assignTeams(kommune: otherKommune, sykehus: sykehus), 4)
        try run(.changeRouting(.yellowAlsoToSykehus), 5)
        try run(.escalateAlert(try active(.pulseHigh), note: nil), 6)
        try reading("r4", .temperature(celsius: 39.5), 7)
        try run(
            .voidReading(
                readingID: try #require(state.readingKeys.values.first { state.readings[$0]?.kind == .temperature }),
                reason: "wrong patient"), 8)
        try run(.resolveAlert(try active(.spo2Low), note: nil), 9)
        try run(.checkOverdue, 60)
        return out
    }

    @Test func feedRowsAreAlertFeedChanges() throws {
        let events = try Self.stream()
        var page = ProjectionPage()
        var projected = ProjectedPatient(state: .initial)
        var state = PatientState.initial
        var expected: [Row] = []
        for (i, event) in events.enumerated() {
            let position = Int64(i + 1)
            var seq = 0
            for change in AlertFeed.changes(before: state, applying: event) {
                let item = ProjectionRows.FeedItem(change.alert, patientID: Self.patient, change: nil)
                for team in change.teams {
                    expected.append(
                        Row(
                            team: team, position: position, seq: seq, alert: change.alert.id, patient: Self.patient,
                            change: change.change.rawValue, item: item))
                    seq += 1
                }
            }
            state.apply(event)
            page.record(event, patient: &projected, id: Self.patient, position: position)
        }
        let rows = page.feed.map {
            Row(
                team: $0.team_id, position: $0.position, seq: $0.seq, alert: $0.alert_id, patient: $0.patient_id, change: $0.change,
                item: $0.item)
        }
        #expect(rows == expected)
        #expect(Set(rows.map(\.change)) == Set(AlertChange.allCases.map(\.rawValue)))
        // A reassignment and a routing change each moved more than one alert, in raise order.
        #expect(events.contains { if case .teamsAssigned = $0 { true } else { false } })
        #expect(
            Dictionary(grouping: rows.filter { $0.change == "updated" }, by: \.position).values.contains { Set($0.map(\.alert)).count > 1 })
        #expect(projected.state == state)

        // The alerts table holds each alert as it stands at the end, its rule as text.
        #expect(page.alerts.count == state.alerts.count)
        for (id, alert) in state.alerts {
            let row = try #require(page.alerts[id])
            #expect(row.rule == alert.rule.rawValue)
            #expect(row.alert == ProjectionRows.FeedItem(alert, patientID: Self.patient, change: nil))
            #expect(row.teams == alert.routedTo)
        }
    }
}
