import Foundation
import VardeCore

/// The clinical-safety report of a run: for each arm, was every injected
/// event alerted at its first breaching reading and routed to the right
/// teams, how many alerts had no injected cause, and does the server agree
/// with the rules as written (`SpecRules`) reading by reading.
public struct SafetyReport: Sendable, Codable {
    public struct EpisodeResult: Sendable, Codable {
        public var index: Int
        public var kind: EpisodeKind
        public var patient: Int
        public var program: Program
        public var onset: Date
        /// Rules the episode's readings breached (and overdue gaps it caused), by the spec.
        public var expectedRules: [String]
        /// Expected rules whose first breach no alert took up.
        public var missedRules: [String]
        public var alerted: Bool
        public var atFirstBreach: Bool
        public var routedRight: Bool
        public var hoursToAlert: Double?
    }

    public struct KindRow: Sendable, Codable {
        public var kind: EpisodeKind
        public var injected = 0
        /// Reached a threshold in force (the rules could see it).
        public var breached = 0
        public var alerted = 0
        public var atFirstBreach = 0
        public var routedRight = 0
        public var medianHours: Double?
        public var maxHours: Double?
        public var missed: Int { injected - alerted }
    }

    public struct FalseRow: Sendable, Codable {
        public var program: Program
        public var rule: String
        public var count: Int
        public var perPatientDay: Double
    }

    public struct Agreement: Sendable, Codable {
        public var readingsJudged = 0
        public var readingsBreaching = 0
        /// Readings where the server's alerts and the spec's breaches name different rules,
        /// or an alert was raised at another severity than the spec gives.
        public var disagreements = 0
        public var gapsExpected = 0
        public var gapsMatched = 0
        /// Overdue alerts with no gap the spec gives.
        public var unexpectedOverdue = 0
        /// The latest an overdue alert came after the sweep that should raise it, in minutes.
        public var maxOverdueDelayMinutes = 0.0
        public var examples: [String] = []
    }

    public struct ArmReport: Sendable, Codable {
        public var arm: Arm
        public var episodes: [EpisodeResult]
        public var kinds: [KindRow]
        public var falseAlerts: Int
        public var falsePerPatientDay: Double
        public var falsePerKommuneShift: Double
        public var falsePerSykehusShift: Double
        public var falseByProgramRule: [FalseRow]
        /// Overdue alerts for days a patient skipped (real, not injected; not counted as false).
        public var skippedOverdue: Int
        public var alertsInWindow: Int
        public var agreement: Agreement
        public var refused: [String: Int]
        public var duplicates: Int
        /// Events that reached a threshold in force: the ones the rules can see, and must alert.
        public var visible: [EpisodeResult] { episodes.filter { !$0.expectedRules.isEmpty } }
        public var allAlertedAtFirstBreach: Bool { visible.allSatisfy(\.atFirstBreach) }
        public var allRoutedRight: Bool { episodes.filter(\.alerted).allSatisfy(\.routedRight) }
    }

    public var seed: UInt64
    public var patients: Int
    public var days: Int
    public var start: Date
    /// The comparison window: after the baseline days, when the arms' thresholds differ.
    public var windowFrom: Date
    public var windowTo: Date
    public var patientDays: Double
    public var kommuneShifts: Int
    public var sykehusShifts: Int
    /// Patients per program.
    public var programs: [String: Int]
    public var arms: [ArmReport]

    public static func make(_ fleet: Fleet, _ outcomes: [ArmOutcome]) -> SafetyReport {
        let c = fleet.config
        let windowDays = c.end.timeIntervalSince(c.individualiseAt) / 86_400
        let weekdays = (0..<Int(windowDays.rounded(.up))).filter { d in
            // 5 January 2026 is a Monday: days 5 and 6 of each week are the weekend.
            let day = Int(
                c.individualiseAt.addingTimeInterval(Double(d) * 86_400 + 43_200).timeIntervalSince(SimulationConfig.defaultStart) / 86_400)
            return ((day % 7) + 7) % 7 < 5
        }.count
        let teams = (fleet.teams.filter { $0.kind == .kommune }.count, fleet.teams.filter { $0.kind == .sykehus }.count)
        let (kommuneShifts, sykehusShifts) = (weekdays * teams.0, weekdays * teams.1)
        var programs: [Program: Int] = [:]
        for p in fleet.patients { programs[p.program, default: 0] += 1 }
        let patientDays = Double(fleet.patients.count) * windowDays
        return SafetyReport(
            seed: c.seed, patients: c.patients, days: c.days, start: c.start, windowFrom: c.individualiseAt, windowTo: c.end,
            patientDays: patientDays, kommuneShifts: kommuneShifts, sykehusShifts: sykehusShifts,
            programs: Dictionary(uniqueKeysWithValues: programs.map { ($0.key.rawValue, $0.value) }),
            arms: outcomes.map {
                ArmJudge(fleet: fleet, outcome: $0, expectation: .compute(fleet, arm: $0.arm))
                    .report(windowDays: windowDays, kommuneShifts: kommuneShifts, sykehusShifts: sykehusShifts, programs: programs)
            })
    }
}
