import Foundation
import Testing
import VardeCore

@testable import VardeSimulator

/// The judge, fed outcomes made from the rules themselves: a server that
/// does exactly what the rules say scores perfectly; one that drops an
/// alert or routes it wrongly is caught.
@Suite struct JudgeTests {
    static let fleet = Fleet.make(SimulationConfig(seed: 3, patients: 40, days: 24))

    /// An alert per breaching reading and rule, and one per overdue gap, seen by the teams the rules route it to.
    static func perfect(_ arm: Arm) -> ArmOutcome {
        let expectation = Expectation.compute(fleet, arm: arm)
        var alerts: [ObservedAlert] = []
        var n: UInt64 = 0
        func id() -> UUID {
            n += 1
            return UUID(uuidString: String(format: "00000000-0000-4000-8000-%012llx", n))!
        }
        func teams(_ patient: Int, _ severity: Severity) -> Set<Int> {
            let p = fleet.patients[patient]
            return severity == .red ? [p.kommuneTeam, p.sykehusTeam] : [p.kommuneTeam]
        }
        for (r, tick) in fleet.arrivals() {
            let reading = fleet.readings[r]
            for b in expectation.breaches[r] ?? [] {
                alerts.append(
                    ObservedAlert(
                        id: id(), patient: reading.patient, rule: b.rule, raisedAt: tick, raisedSeverity: b.severity, severity: b.severity,
                        readings: [r], overdueSince: nil, teamsSeen: teams(reading.patient, b.severity)))
            }
        }
        for g in expectation.gaps {
            alerts.append(
                ObservedAlert(
                    id: id(), patient: g.patient, rule: .overdue(g.kind), raisedAt: g.tick, raisedSeverity: .yellow, severity: .yellow,
                    readings: [], overdueSince: g.since, teamsSeen: teams(g.patient, .yellow)))
        }
        return ArmOutcome(arm: arm, alerts: alerts, created: Set(fleet.arrivals().map(\.reading)), refused: [:], duplicates: 0)
    }

    @Test func aServerThatFollowsTheRulesScoresPerfectly() throws {
        let report = SafetyReport.make(Self.fleet, [Self.perfect(.defaults), Self.perfect(.individualised)])
        for arm in report.arms {
            #expect(arm.agreement.disagreements == 0)
            #expect(arm.agreement.gapsMatched == arm.agreement.gapsExpected)
            #expect(arm.agreement.unexpectedOverdue == 0)
            let breaching = arm.episodes.filter { !$0.expectedRules.isEmpty }
            #expect(!breaching.isEmpty)
            #expect(breaching.allSatisfy { $0.atFirstBreach && $0.routedRight && $0.alerted })
            #expect(arm.kinds.reduce(0) { $0 + $1.injected } == Self.fleet.episodes.count)
        }
        // The same readings: individual limits raise fewer alerts with no injected cause than the programme's.
        #expect(report.arms[1].falseAlerts < report.arms[0].falseAlerts)
    }

    @Test func aMissingAlertIsAMissAndAWrongTeamIsMisrouted() throws {
        var outcome = Self.perfect(.defaults)
        let report = SafetyReport.make(Self.fleet, [outcome])
        let episode = try #require(
            report.arms[0].episodes.first { !$0.expectedRules.isEmpty && !$0.expectedRules[0].hasPrefix("overdue.") })
        let firstRule = AlertRule(rawValue: episode.expectedRules[0])
        // The alert that took up the episode's first breach of that rule.
        let tagged = Set(Self.fleet.readings.filter { $0.episode == episode.index }.map(\.index))
        let index = try #require(
            outcome.alerts.firstIndex { $0.rule == firstRule && $0.patient == episode.patient && tagged.contains($0.readings[0]) })

        var misrouted = outcome
        misrouted.alerts[index].teamsSeen = [Self.fleet.patients[episode.patient].sykehusTeam]
        let m = SafetyReport.make(Self.fleet, [misrouted]).arms[0].episodes[episode.index]
        #expect(m.atFirstBreach)
        #expect(!m.routedRight)

        outcome.alerts.remove(at: index)
        let missed = SafetyReport.make(Self.fleet, [outcome]).arms[0]
        let e = missed.episodes[episode.index]
        #expect(!e.atFirstBreach)
        #expect(e.missedRules.contains(firstRule.rawValue))
        #expect(missed.agreement.disagreements == 1)
    }

    @Test func theReportSaysWhenAGoalIsNotMet() {
        var outcome = Self.perfect(.defaults)
        outcome.alerts.removeAll { $0.rule == .weightGain }
        let markdown = SafetyReport.make(Self.fleet, [outcome]).markdown()
        #expect(markdown.contains("**NOT met**"))
        #expect(markdown.contains("Heart-failure fluid retention"))
        #expect(SafetyReport.make(Self.fleet, [Self.perfect(.defaults)]).svg().hasPrefix("<svg"))
    }
}
