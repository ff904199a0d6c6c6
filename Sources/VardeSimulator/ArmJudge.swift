import Foundation
import VardeCore

/// Judges one arm: what the run observed against what the spec expects.
struct ArmJudge {
    let fleet: Fleet
    let outcome: ArmOutcome
    let expectation: Expectation

    /// Alerts by (patient, reading) and by (patient, kind, gap start).
    var alertsByReading: [Int: [ObservedAlert]] {
        var out: [Int: [ObservedAlert]] = [:]
        for a in outcome.alerts { for r in a.readings { out[r, default: []].append(a) } }
        return out
    }

    struct GapKey: Hashable {
        var patient: Int
        var kind: MeasurementKind
        var since: Int64
    }

    var overdueByGap: [GapKey: ObservedAlert] {
        var out: [GapKey: ObservedAlert] = [:]
        for a in outcome.alerts {
            guard case .overdue(let kind) = a.rule, let since = a.overdueSince else { continue }
            out[GapKey(patient: a.patient, kind: kind, since: EventDate.milliseconds(since))] = a
        }
        return out
    }

    func key(_ g: Expectation.Gap) -> GapKey { GapKey(patient: g.patient, kind: g.kind, since: EventDate.milliseconds(g.since)) }

    /// The episode a gap comes from, if any: the patient stopped, or measures with another's device.
    func episode(of g: Expectation.Gap) -> Episode? {
        fleet.episodes.first { e in
            guard g.due >= e.onset else { return false }
            switch e.kind {
            case .stopsMeasuring: return e.patient == g.patient
            case .deviceHandover: return e.other == g.patient && e.device.map { Self.kinds($0).contains(g.kind) } == true
            default: return false
            }
        }
    }

    static func kinds(_ d: DeviceKind) -> [MeasurementKind] {
        switch d {
        case .oximeter: [.spo2, .pulse]
        case .bloodPressureCuff: [.bloodPressure]
        case .scale: [.weight]
        case .thermometer: [.temperature]
        }
    }

    func expectedTeams(_ a: ObservedAlert) -> Set<Int> {
        let p = fleet.patients[a.patient]
        return a.severity == .red ? [p.kommuneTeam, p.sykehusTeam] : [p.kommuneTeam]
    }

    func report(windowDays: Double, kommuneShifts: Int, sykehusShifts: Int, programs: [Program: Int]) -> SafetyReport.ArmReport {
        let byReading = alertsByReading, byGap = overdueByGap
        let arrivals = fleet.arrivals()
        var tagged: [Int: [Int]] = [:]
        for (r, _) in arrivals where outcome.created.contains(r) {
            if let e = fleet.readings[r].episode { tagged[e, default: []].append(r) }
        }
        let gapsByEpisode = Dictionary(grouping: expectation.gaps.compactMap { g in episode(of: g).map { ($0.index, g) } }, by: \.0)

        var episodes: [SafetyReport.EpisodeResult] = []
        for e in fleet.episodes {
            var first: [AlertRule: Int] = [:]
            var order: [AlertRule] = []
            for r in tagged[e.index] ?? [] {
                for b in expectation.breaches[r] ?? [] where first[b.rule] == nil {
                    first[b.rule] = r
                    order.append(b.rule)
                }
            }
            let gaps = (gapsByEpisode[e.index] ?? []).map(\.1)
            var missed: [String] = []
            var matched: [ObservedAlert] = []
            var times: [Date] = []
            for rule in order {
                let r = first[rule]!
                if let a = (byReading[r] ?? []).first(where: { $0.rule == rule }) {
                    matched.append(a)
                    times.append(expectation.arrivedAt[r]!)
                } else {
                    missed.append(rule.rawValue)
                }
            }
            for g in gaps {
                if let a = byGap[key(g)] {
                    matched.append(a)
                    times.append(a.raisedAt)
                } else {
                    missed.append("overdue.\(g.kind.rawValue)")
                }
            }
            // Alerted at all: any alert carrying one of its readings, or one of its gaps.
            let carrying = (tagged[e.index] ?? []).filter { !(byReading[$0] ?? []).isEmpty }
            if times.isEmpty, let r = carrying.first { times.append(expectation.arrivedAt[r]!) }
            let alerted = !carrying.isEmpty || gaps.contains { byGap[key($0)] != nil }
            let expected = order.map(\.rawValue) + gaps.map { "overdue.\($0.kind.rawValue)" }
            episodes.append(
                .init(
                    index: e.index, kind: e.kind, patient: e.patient, program: fleet.patients[e.patient].program, onset: e.onset,
                    expectedRules: expected, missedRules: missed, alerted: alerted, atFirstBreach: !expected.isEmpty && missed.isEmpty,
                    routedRight: alerted && matched.allSatisfy { $0.teamsSeen == expectedTeams($0) },
                    hoursToAlert: times.min().map { $0.timeIntervalSince(e.onset) / 3600 }))
        }

        let kinds = EpisodeKind.allCases.compactMap { kind -> SafetyReport.KindRow? in
            let es = episodes.filter { $0.kind == kind }
            guard !es.isEmpty else { return nil }
            let hours = es.compactMap(\.hoursToAlert).sorted()
            return SafetyReport.KindRow(
                kind: kind, injected: es.count, breached: es.filter { !$0.expectedRules.isEmpty }.count,
                alerted: es.filter(\.alerted).count, atFirstBreach: es.filter(\.atFirstBreach).count,
                routedRight: es.filter(\.routedRight).count, medianHours: hours.isEmpty ? nil : hours[(hours.count - 1) / 2],
                maxHours: hours.last)
        }

        // Alerts with no injected cause, raised after the baseline days.
        let window = fleet.config.individualiseAt
        var falseAlerts: [ObservedAlert] = []
        var skipped = 0
        let inWindow = outcome.alerts.filter { $0.raisedAt >= window }
        for a in inWindow {
            if case .overdue(let kind) = a.rule {
                let gap = expectation.gaps.first {
                    key($0) == GapKey(patient: a.patient, kind: kind, since: EventDate.milliseconds(a.overdueSince ?? .distantPast))
                }
                if gap.flatMap(episode(of:)) == nil { skipped += 1 }
            } else if let r = a.readings.first, fleet.readings[r].episode == nil {
                falseAlerts.append(a)
            }
        }
        var rows: [String: SafetyReport.FalseRow] = [:]
        for a in falseAlerts {
            let program = fleet.patients[a.patient].program
            let k = "\(program.rawValue) \(a.rule.rawValue)"
            let days = Double(programs[program] ?? 1) * windowDays
            rows[k, default: .init(program: program, rule: a.rule.rawValue, count: 0, perPatientDay: 0)].count += 1
            rows[k]!.perPatientDay = Double(rows[k]!.count) / days
        }
        let sykehusFalse = falseAlerts.filter { a in fleet.teams.contains { $0.kind == .sykehus && a.teamsSeen.contains($0.index) } }.count
        return SafetyReport.ArmReport(
            arm: outcome.arm, episodes: episodes, kinds: kinds, falseAlerts: falseAlerts.count,
            falsePerPatientDay: Double(falseAlerts.count) / (Double(fleet.patients.count) * windowDays),
            falsePerKommuneShift: kommuneShifts == 0 ? 0 : Double(falseAlerts.count) / Double(kommuneShifts),
            falsePerSykehusShift: sykehusShifts == 0 ? 0 : Double(sykehusFalse) / Double(sykehusShifts),
            falseByProgramRule: rows.values.sorted { ($0.program.rawValue, $0.rule) < ($1.program.rawValue, $1.rule) },
            skippedOverdue: skipped, alertsInWindow: inWindow.count, agreement: agreement(byReading, byGap, arrivals),
            refused: outcome.refused, duplicates: outcome.duplicates)
    }

    /// Reading by reading and gap by gap: does the server do what the rules say?
    func agreement(_ byReading: [Int: [ObservedAlert]], _ byGap: [GapKey: ObservedAlert], _ arrivals: [(reading: Int, tick: Date)])
        -> SafetyReport.Agreement
    {
        var a = SafetyReport.Agreement()
        func note(_ text: String) { if a.examples.count < 10 { a.examples.append(text) } }
        for (r, _) in arrivals where outcome.created.contains(r) {
            a.readingsJudged += 1
            let spec = expectation.breaches[r] ?? []
            if !spec.isEmpty { a.readingsBreaching += 1 }
            let server = byReading[r] ?? []
            let specRules = Set(spec.map(\.rule.rawValue)), serverRules = Set(server.map(\.rule.rawValue))
            let raisedWrong = server.filter { $0.readings.first == r }.contains { alert in
                spec.first { $0.rule == alert.rule }?.severity != alert.raisedSeverity
            }
            if specRules != serverRules || raisedWrong {
                a.disagreements += 1
                note(
                    "reading \(fleet.readings[r].id) (patient \(fleet.readings[r].patient)): rules give \(specRules.sorted()), "
                        + "the server \(serverRules.sorted())\(raisedWrong ? " (raised at another severity)" : "")")
            }
        }
        var expectedKeys = Set<GapKey>()
        for g in expectation.gaps {
            a.gapsExpected += 1
            expectedKeys.insert(key(g))
            if let alert = byGap[key(g)] {
                a.gapsMatched += 1
                a.maxOverdueDelayMinutes = max(a.maxOverdueDelayMinutes, alert.raisedAt.timeIntervalSince(g.tick) / 60)
            } else {
                note("no overdue alert for patient \(g.patient) \(g.kind.rawValue), due \(EventDate.format(g.due))")
            }
        }
        for (k, alert) in byGap where !expectedKeys.contains(k) {
            a.unexpectedOverdue += 1
            note("overdue alert the rules do not give: patient \(k.patient) \(k.kind.rawValue) raised \(EventDate.format(alert.raisedAt))")
        }
        return a
    }
}
