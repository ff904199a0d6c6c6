import Foundation
import VardeCore
import VardeStore

/// `GET /v1/teams/{id}/patients`: the team's patients worst first (red,
/// yellow, overdue, green; then by enrolment), each with the latest value of
/// every kind, the kinds its plan expects, which of them are overdue now, and
/// its open alerts. `asOf` is the server's time the marks were made at, so a
/// client can tell how long ago each value was measured without trusting its
/// own clock.
struct WorklistBody: Encodable {
    struct Entry: Encodable {
        var id: UUID
        var nationalId: String
        var kommunenummer: String
        var program: String
        var status: String
        var triage: String
        var teams: PatientTeams
        var latest: [String: LatestReading]
        var dischargedAt: Date?
        var openAlerts: Int
        var expected: [String]
        var overdue: [Overdue]

        private enum CodingKeys: String, CodingKey {
            case id, nationalId, kommunenummer, program, status, triage, teams, latest, dischargedAt, openAlerts, expected, overdue
        }

        /// As `PatientSummary` always had it: `dischargedAt` present, null on a worklist.
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(nationalId, forKey: .nationalId)
            try c.encode(kommunenummer, forKey: .kommunenummer)
            try c.encode(program, forKey: .program)
            try c.encode(status, forKey: .status)
            try c.encode(triage, forKey: .triage)
            try c.encode(teams, forKey: .teams)
            try c.encode(latest, forKey: .latest)
            try c.encode(dischargedAt, forKey: .dischargedAt)
            try c.encode(openAlerts, forKey: .openAlerts)
            try c.encode(expected, forKey: .expected)
            try c.encode(overdue, forKey: .overdue)
        }
    }

    struct Overdue: Encodable {
        var kind: String
        /// The gap is counted from (the last reading of the kind, or enrolment).
        var since: Date
        var dueAt: Date
    }

    var asOf: Date
    var patients: [Entry]

    init(_ rows: [WorklistRow], now: Date) {
        asOf = now
        let entries = rows.enumerated().map { index, row -> (Int, Entry) in
            let measured = Dictionary(
                uniqueKeysWithValues: row.latest.compactMap { kind, latest in
                    MeasurementKind(rawValue: kind).flatMap { k in EventDate.parse(latest.measuredAt).map { (k, $0) } }
                })
            let overdue = OverdueRule.overdue(plan: row.expected, lastMeasured: measured, enrolledAt: row.enrolledAt, now: now)
            let active = row.activeAlerts.compactMap { a in
                Severity(rawValue: a.severity).map { (rule: AlertRule(rawValue: a.rule), severity: $0) }
            }
            let triage = WorklistTriage.of(activeAlerts: active, overdueKinds: overdue.map(\.kind))
            return (
                index,
                Entry(
                    id: row.id, nationalId: row.nationalID, kommunenummer: row.kommunenummer, program: row.program, status: row.status,
                    triage: triage.rawValue, teams: row.teams, latest: row.latest, dischargedAt: nil, openAlerts: row.activeAlerts.count,
                    expected: row.expected.map(\.kind.rawValue),
                    overdue: overdue.map { Overdue(kind: $0.kind.rawValue, since: $0.since, dueAt: $0.dueAt) })
            )
        }
        // Stable: within a rank, the query's enrolment order.
        patients = entries.sorted { a, b in
            let (x, y) = (WorklistTriage(rawValue: a.1.triage)!.rank, WorklistTriage(rawValue: b.1.triage)!.rank)
            return x != y ? x < y : a.0 < b.0
        }.map(\.1)
    }
}
