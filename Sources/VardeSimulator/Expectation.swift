import Foundation
import VardeCore

/// The two arms of a run: the same fleet, the same readings, judged by the
/// programme defaults throughout, or by individual thresholds set at the end
/// of the baseline days.
public enum Arm: String, Sendable, Codable, CaseIterable {
    case defaults, individualised

    public var title: String { self == .defaults ? "Programme defaults" : "Individualised" }
}

/// What the domain's rules say the server must raise for an arm: the breaches
/// of every reading (judged at the tick it arrives, against the set in force
/// then, with the weights that arrived before it) and every gap that becomes
/// overdue (raised by the first sweep at or after it is due).
public struct Expectation: Sendable {
    public struct Gap: Sendable, Hashable {
        public var patient: Int
        public var kind: MeasurementKind
        public var since: Date
        public var due: Date
        /// The sweep that must raise it.
        public var tick: Date
    }

    public var arm: Arm
    /// First arrival of each reading that was sent.
    public var arrivedAt: [Int: Date]
    public var breaches: [Int: [SpecRules.Breach]]
    public var gaps: [Gap]
    /// The individual sets (individualised arm), by patient.
    public var individual: [Int: ThresholdSet]

    public static func compute(_ fleet: Fleet, arm: Arm) -> Expectation {
        let config = fleet.config
        let arrivals = fleet.arrivals()
        let individual = arm == .individualised ? fleet.individualThresholds() : [:]
        var arrivedAt: [Int: Date] = [:]
        var breaches: [Int: [SpecRules.Breach]] = [:]
        var weights: [Int: SpecRules.WeightHistory] = [:]
        for (reading, tick) in arrivals {
            let r = fleet.readings[reading]
            arrivedAt[reading] = tick
            let program = fleet.patients[r.patient].program
            let t = tick >= config.individualiseAt ? individual[r.patient] ?? .defaults(for: program) : .defaults(for: program)
            breaches[reading] = SpecRules.breaches(r.value, measuredAt: r.measuredAt, t, weights: weights[r.patient] ?? [])
            if case .weight(let kg) = r.value { weights[r.patient, default: []].append((r.measuredAt, kg)) }
        }
        return Expectation(arm: arm, arrivedAt: arrivedAt, breaches: breaches, gaps: gaps(fleet, arrivals), individual: individual)
    }

    /// Overdue gaps: the sweep runs each tick after that tick's uploads, and a
    /// gap counts from the latest measured time of the kind that has arrived
    /// (or the enrolment); each gap is raised once.
    static func gaps(_ fleet: Fleet, _ arrivals: [(reading: Int, tick: Date)]) -> [Gap] {
        let config = fleet.config
        var byPatient: [Int: [(tick: Date, reading: SimReading)]] = [:]
        for (i, tick) in arrivals { byPatient[fleet.readings[i].patient, default: []].append((tick, fleet.readings[i])) }
        var out: [Gap] = []
        for p in fleet.patients {
            for e in ThresholdSet.defaults(for: p.program).expected {
                let window = (e.intervalHours + e.graceHours) * 3600
                var since = config.start
                var raised: Set<Date> = []
                func check(through last: Date) {
                    let due = since.addingTimeInterval(window)
                    let tick = config.tick(at: due)
                    guard tick <= last, tick <= config.end, !raised.contains(since) else { return }
                    raised.insert(since)
                    out.append(Gap(patient: p.index, kind: e.kind, since: since, due: due, tick: tick))
                }
                let mine = (byPatient[p.index] ?? []).filter { $0.reading.value.kind == e.kind }
                var i = 0
                while i < mine.count {
                    let tick = mine[i].tick
                    check(through: tick.addingTimeInterval(-config.tickSeconds))
                    while i < mine.count, mine[i].tick == tick {
                        since = max(since, mine[i].reading.measuredAt)
                        i += 1
                    }
                    check(through: tick)
                }
                check(through: config.end)
            }
        }
        return out
    }
}

extension Fleet {
    /// Each sent reading with the tick it first arrives at, in the order the
    /// server receives them (uploads in send order; a resent reading counts once).
    public func arrivals() -> [(reading: Int, tick: Date)] {
        var seen = Set<Int>()
        var out: [(Int, Date)] = []
        for u in uploads {
            let tick = config.tick(at: u.sendAt)
            for r in u.readings where seen.insert(r).inserted { out.append((r, tick)) }
        }
        return out
    }

    /// Each patient's individual set, from the readings filed under them that
    /// arrived before the end of the baseline days.
    public func individualThresholds() -> [Int: ThresholdSet] {
        var values: [Int: [MeasurementValue]] = [:]
        for (r, tick) in arrivals() where tick < config.individualiseAt {
            values[readings[r].patient, default: []].append(readings[r].value)
        }
        return Dictionary(
            uniqueKeysWithValues: patients.map {
                ($0.index, Individualisation.thresholds(program: $0.program, baseline: values[$0.index] ?? []))
            })
    }
}
